import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_ALIASES } from '../../infra/constructs/gatekeeper-function';
import { eventHandlers, type HandlerSpec, handlers } from '../../infra/function-specs';

/**
 * The SDK a function's spec implies in the default deploy (no edge, no webhook URL, no OpenID
 * provider): the document client with the commands its table access names, SES when it mails,
 * Secrets Manager when it holds the signing keys. The edge's origin secret, the webhook secret
 * and the OIDC client key are read only when the stack is deployed with those options.
 */
export function clientsOf(spec: HandlerSpec): string[] {
  const access = spec.table;
  const dynamodb = access
    ? [
        ...(access.read.length ? ['GetCommand'] : []),
        ...(access.readMany?.length ? ['BatchGetCommand'] : []),
        ...(access.indexes.length || access.queryPartitions?.length ? ['QueryCommand'] : []),
        ...(access.write.length ? ['PutCommand', 'UpdateCommand'] : []),
        ...(access.writeMany?.length ? ['BatchWriteCommand'] : []),
        ...(access.removeAccounts ? ['DeleteCommand'] : []),
        ...(access.scanAccounts ? ['ScanCommand'] : []),
      ]
    : [];
  const uses = spec.uses as readonly string[];
  return [
    ...dynamodb.map((command) => `dynamodb:${command}`),
    ...(uses.includes('mail') ? ['ses:SendEmailCommand'] : []),
    ...(uses.includes('signing-keys') ? ['secrets:GetSecretValueCommand'] : []),
  ];
}

/** Every function's spec by the name its bundle goes by (`signIn` → `SignIn`). */
export const specsByBundleName = new Map<string, HandlerSpec>(
  Object.entries({ ...handlers, ...eventHandlers }).map(([name, spec]) => [`${name[0]!.toUpperCase()}${name.slice(1)}`, spec]),
);

/** The clients alone, each command sent once, built with the house construct's options; the file written. */
export async function buildClientFloor(clients: readonly string[], dir: string): Promise<string> {
  const of = (prefix: string) => clients.filter((c) => c.startsWith(`${prefix}:`)).map((c) => c.slice(prefix.length + 1));
  const dynamodb = of('dynamodb');
  const ses = of('ses');
  const secrets = of('secrets');
  const lines = [
    ...(dynamodb.length
      ? [
          `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
          `import { DynamoDBDocumentClient, ${dynamodb.join(', ')} } from '@aws-sdk/lib-dynamodb';`,
          'const d = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
        ]
      : []),
    ...(ses.length ? [`import { SESClient, ${ses.join(', ')} } from '@aws-sdk/client-ses';`, 'const s = new SESClient({});'] : []),
    ...(secrets.length
      ? [
          `import { SecretsManagerClient, ${secrets.join(', ')} } from '@aws-sdk/client-secrets-manager';`,
          'const m = new SecretsManagerClient({});',
        ]
      : []),
    `export const handler = (e) => Promise.all([${[
      ...dynamodb.map((c) => `d.send(new ${c}(e))`),
      ...ses.map((c) => `s.send(new ${c}(e))`),
      ...secrets.map((c) => `m.send(new ${c}(e))`),
    ].join(', ')}]);`,
  ];
  const outfile = join(dir, 'index.mjs');
  const result = await build({
    stdin: { contents: lines.join('\n'), resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    alias: { ...BUNDLE_ALIASES },
    outfile,
  });
  if (result.errors.length) throw new Error(`the floor bundle of ${clients.join(', ')} did not build`);
  return outfile;
}
