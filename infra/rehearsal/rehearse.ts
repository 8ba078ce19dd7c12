import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rehearseEdge } from './edge-rehearsal';
import { observedAccessTable } from './observed-access';
import { rehearseOidc } from './oidc-rehearsal';
import { rehearse } from './run';
import { synthesize } from './synthesize';

/**
 * `npm run rehearse`: synthesizes the stack (or takes REHEARSAL_TEMPLATE, a cdk.out folder), runs
 * every journey through the bundles under their own roles, and prints what AWS would have refused,
 * the grants no journey used, and what each function touched. Exit 1 when anything was refused or
 * a journey failed.
 */
const started = Date.now();
const given = process.env.REHEARSAL_TEMPLATE;
const outdir = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'gatekeeper-rehearsal-cdk-'));
try {
  if (!given) {
    process.stderr.write('Synthesizing the stack…\n');
    synthesize(outdir);
  }
  const report = await rehearse({
    assemblyDir: outdir,
    onJourney: (result) =>
      console.log(
        `${result.ok ? '✓' : '✗'} ${result.name} (${result.ms} ms)${result.error ? `\n    ${result.error.replace(/\n/g, '\n    ')}` : ''}`,
      ),
  });
  console.log(
    `\n${report.checks.length} AWS calls checked against the roles' and resources' policies: ${report.grants.distinctCalls.length} distinct (function, action, resource family).`,
  );
  if (report.denied.length) {
    console.log(`\nAWS would refuse ${report.denied.length}:`);
    for (const check of report.denied) console.log(`  ${check.reason}`);
  }
  console.log(`\nGrants no journey used (${report.grants.unused.length}):`);
  for (const grant of report.grants.unused) {
    console.log(
      `  ${grant.caller}: ${grant.action} on ${grant.resource.split(/[:/]/).at(-1)}${grant.leadingKey ? ` for ${grant.leadingKey}` : ''} (${grant.source})`,
    );
  }
  if (process.argv.includes('--table')) {
    console.log(`\nWhat each function touched:\n${observedAccessTable(report.checks, report.functions)}`);
  }
  // The stack as deployed with an OpenID provider: the sign-in function reads its client key and speaks to the provider.
  process.stderr.write('\nSynthesizing the stack with an OpenID provider (-c oidcIssuer, -c oidcClientId)…\n');
  const oidc = await rehearseOidc();
  const oidcCalls = oidc.checks.filter((check) => check.caller === 'signIn').length;
  console.log(
    `${oidc.ok ? '✓' : '✗'} a sponsor signs in with the OpenID provider (${oidc.ms} ms, ${oidcCalls} AWS calls by signIn)${oidc.error ? `\n    ${oidc.error.replace(/\n/g, '\n    ')}` : ''}`,
  );
  // The stack as deployed with the edge: each function CloudFront serves reads the origin secret under its own role.
  process.stderr.write('\nSynthesizing the stack with the edge (-c edge=true)…\n');
  const edge = await rehearseEdge();
  console.log(
    `${edge.ok ? '✓' : '✗'} behind the edge, ${edge.named.length} functions read the origin secret under their own roles and refuse what skipped CloudFront (${edge.ms} ms)${edge.error ? `\n    ${edge.error.replace(/\n/g, '\n    ')}` : ''}`,
  );
  const ok = report.ok && oidc.ok && edge.ok;
  console.log(
    `\nRehearsal ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s (journeys ${(report.ms / 1000).toFixed(1)} s).`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  if (!given) rmSync(outdir, { recursive: true, force: true });
}
