import {
  approve,
  ask,
  type Cast,
  emailedToken,
  expectStatus,
  expectThat,
  type Journey,
  openPage,
  operator,
  requestAndConfirm,
  signIn,
  signUpAndConfirm,
} from './journey-steps';

import { TIMED_JOURNEYS } from './timed-journeys';

export type { Cast, Journey } from './journey-steps';

/**
 * Every product journey the stack serves, in order (later ones use the people earlier ones made);
 * the clock moves forward only in the last.
 */
export const journeys: readonly Journey[] = [
  {
    name: 'deploy: custom resources (the webhook secret’s value, the .gov registry snapshot)',
    run: (rehearsal) => rehearsal.deployCustomResources(),
  },
  {
    name: 'pages, assets, the contract and unknown routes',
    async run(rehearsal) {
      for (const path of ['/', '/contractors', '/sign-in']) {
        await openPage(rehearsal, path, `GET ${path}`);
      }
      expectStatus(await rehearsal.http('GET', '/sponsors', { headers: { accept: 'text/html' } }), 303, 'the dashboard, signed out');
      expectStatus(await rehearsal.http('GET', '/openapi.json'), 200, 'GET /openapi.json');
      const page = await rehearsal.http('GET', '/', { headers: { accept: 'text/html' } });
      const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1] ?? '/assets/missing.css';
      expectStatus(
        await rehearsal.http('GET', stylesheet, { headers: { accept: 'text/css' } }),
        200,
        `${stylesheet}, a static file beside its bundle`,
      );
      expectStatus(await rehearsal.http('GET', '/no-such-page'), 404, 'an unknown route');
      expectStatus(await rehearsal.http('GET', '/healthz?deep=1'), 200, 'the deep health check (reads the breaker)');
    },
  },
  {
    name: 'agency sign-up',
    async run(rehearsal, cast) {
      // The registry the deploy loaded decides: a .gov domain it does not list cannot sign up.
      const unlisted = await rehearsal.http('POST', '/signup', { json: { email: 'someone@not-in-the-registry.gov' } });
      expectStatus(unlisted, 422, 'a sign-up at a .gov domain the registry does not list');
      expectThat(JSON.parse(unlisted.body).error === 'domain_not_registered', `domain_not_registered (got ${unlisted.body})`);
      // The sandbox is down as the confirmation tells it (the verify function, at once): the sweep retries the event.
      rehearsal.receiver.down = 1;
      const token = await signUpAndConfirm(rehearsal, cast.agency);
      expectThat(rehearsal.receiver.down === 0, 'the confirmation tried to tell the sandbox at once');
      await openPage(rehearsal, `/verify?token=${token}`, 'the confirmation page of a used link');
      expectStatus(await rehearsal.http('POST', '/verify', { json: { token } }), 409, 'the same link again (confirmed on the item)');
    },
  },
  {
    name: 'contractor request, the sponsor’s sign-in and decision',
    async run(rehearsal, cast) {
      const session = await signIn(rehearsal, cast.sponsor);
      const token = await approve(rehearsal, cast.renewed, cast.sponsor, session, 'link');
      const outcome = await rehearsal.emailsTo(cast.renewed);
      expectThat(outcome.length >= 2, 'the contractor is told of the approval');
      expectStatus(
        await rehearsal.http('POST', '/sponsorships/decision', {
          json: { token, decision: 'deny', csrf: session.csrf },
          cookies: session.cookies,
        }),
        409,
        'a second decision',
      );
      const someoneElse = await signIn(rehearsal, 'someone.else@gsa.gov');
      const before = (await rehearsal.emailsTo(cast.sponsor)).length;
      expectStatus(
        await rehearsal.http('POST', '/sponsorships/decision', {
          json: {
            token: await requestAndConfirm(rehearsal, 'ivy@acme-contracting.com', cast.sponsor),
            decision: 'approve',
            csrf: someoneElse.csrf,
          },
          cookies: someoneElse.cookies,
        }),
        403,
        'a decision by someone signed in as another address',
      );
      expectThat(
        (await rehearsal.emailsTo(cast.sponsor)).length === before + 2,
        'the sponsor gets the review request and word of the attempt',
      );
      await openPage(rehearsal, `/sponsorships/review?token=${token}`, 'the review page once decided');
    },
  },
  {
    name: 'a request cancelled by the person it names',
    async run(rehearsal, cast) {
      await ask(rehearsal, cast.cancelling, cast.sponsor);
      const cancelled = await rehearsal.http('POST', '/verify', {
        json: { token: await emailedToken(rehearsal, cast.cancelling, '/verify'), action: 'cancel' },
      });
      expectStatus(cancelled, 200, 'This is not my request');
      expectThat(JSON.parse(cancelled.body).status === 'cancelled', `the request is gone (got ${cancelled.body})`);
    },
  },
  {
    name: 'sponsor renews and ends access, each change telling the sandbox itself',
    async run(rehearsal, cast) {
      // A mailbox gets at most one anonymous-triggered email a minute: the sponsor's second sign-in comes later.
      rehearsal.advance(2 / 1440);
      const session = await signIn(rehearsal, cast.sponsor);
      await approve(rehearsal, cast.expiring, cast.sponsor, session, 'dashboard');
      const listed = await rehearsal.http('GET', '/sponsors', { cookies: session.cookies });
      expectStatus(listed, 200, 'the sponsor’s dashboard');
      const contractors = (JSON.parse(listed.body) as { contractors: { requestId: string; email: string }[] }).contractors;
      const requestOf = (email: string) => contractors.find((row) => row.email === email)?.requestId ?? 'missing';
      const act = (action: 'renew' | 'end') =>
        rehearsal.http('POST', '/sponsors/manage', {
          json: { requestId: requestOf(cast.renewed), action, csrf: session.csrf },
          cookies: session.cookies,
        });
      // No sweep runs in between: each change's own function (manage, under its role and the secret's key policy) tells the sandbox.
      const told = () => rehearsal.receiver.events.filter((event) => event.data.email === cast.renewed).map((event) => event.type);
      expectStatus(await act('renew'), 200, 'Renew');
      expectThat(told().at(-1) === 'access.renewed', `the sandbox told of the renewal before the answer (got ${told().join(', ')})`);
      expectStatus(await act('end'), 200, 'End access');
      expectThat(told().at(-1) === 'access.revoked', `the sandbox told of the end before the answer (got ${told().join(', ')})`);
      expectStatus(await rehearsal.http('POST', '/sign-out', { json: {}, cookies: session.cookies }), 200, 'signing out');
    },
  },
  {
    name: 'a review email SES throttled, sent by the scheduled sweep with a fresh link (and an event the sandbox was down for)',
    async run(rehearsal, cast) {
      await ask(rehearsal, cast.waiting, cast.sponsor);
      const before = (await rehearsal.emailsTo(cast.sponsor)).length;
      rehearsal.gateway.throttleSes(10);
      const confirmed = await rehearsal.http('POST', '/verify', {
        json: { token: await emailedToken(rehearsal, cast.waiting, '/verify') },
      });
      rehearsal.gateway.throttleSes(0);
      expectStatus(confirmed, 200, 'confirming while SES throttles');
      expectThat((await rehearsal.emailsTo(cast.sponsor)).length === before, 'no review email went while SES throttled');
      rehearsal.advance(1 / 24);
      await rehearsal.schedule();
      expectThat((await rehearsal.emailsTo(cast.sponsor)).length === before + 1, 'the sweep sent the review email');
      const granted = rehearsal.receiver.events.some((event) => event.type === 'access.granted' && event.data.email === cast.agency);
      expectThat(granted, 'the sweep sent the agency confirmation’s event, which the sandbox was down for');
      const token = await emailedToken(rehearsal, cast.sponsor, '/sponsorships/review');
      await openPage(rehearsal, `/sponsorships/review?token=${token}`, 'the retried link works');
    },
  },
  {
    name: 'SES feedback and the reputation breaker',
    async run(rehearsal, cast) {
      // An active account whose mailbox then bounces permanently: suppressed, and suspended.
      await signUpAndConfirm(rehearsal, cast.bounced);
      await rehearsal.mailEvent('bounce', {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: cast.bounced }] },
      });
      const before = (await rehearsal.emailsTo(cast.bounced)).length;
      expectStatus(await rehearsal.http('POST', '/signup', { json: { email: cast.bounced } }), 202, 'a sign-up for a bounced mailbox');
      expectThat((await rehearsal.emailsTo(cast.bounced)).length === before, 'nothing is sent to a suppressed mailbox');
      const shown = JSON.parse(await operator(rehearsal, ['--format', 'json', 'show', cast.bounced])) as { status: string };
      expectThat(shown.status === 'suspended', `the bounced mailbox's account is suspended (got ${shown.status})`);
      // A sponsor's mailbox bounces: their contractor keeps access and is told (by the sweep, later).
      await approve(rehearsal, cast.orphaned, cast.leavingSponsor, await signIn(rehearsal, cast.leavingSponsor), 'dashboard');
      await rehearsal.mailEvent('bounce', {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: cast.leavingSponsor }] },
      });
      await rehearsal.alarm('Reputation.BounceRate');
      const held = 'held-by-breaker@gsa.gov';
      expectStatus(await rehearsal.http('POST', '/signup', { json: { email: held } }), 202, 'a sign-up while the breaker is open');
      expectThat((await rehearsal.emailsTo(held)).length === 0, 'anonymous mail is held while the breaker is open');
      expectStatus(await rehearsal.http('GET', '/healthz?deep=1'), 200, 'health with the breaker open');
    },
  },
  {
    name: 'operator CLI under the operator role',
    async run(rehearsal, cast) {
      expectThat((await operator(rehearsal, ['breaker', 'status'])).length > 0, 'breaker status');
      await operator(rehearsal, ['breaker', 'close']);
      const listed = JSON.parse(await operator(rehearsal, ['--format', 'json', 'list'])) as { email: string }[];
      expectThat(
        listed.some((account) => account.email === cast.agency),
        'list shows the agency account',
      );
      await operator(rehearsal, ['--format', 'json', 'show', cast.expiring]);
      await operator(rehearsal, ['revoke', '--reason', 'Rehearsal', cast.agency]);
      // Who revoked, in the audit entry: the operator's assumed-role session, as STS names it, never a typed name.
      const role = rehearsal.model.outputs.OperatorRoleArn?.split('/').at(-1) ?? 'operator';
      const caller = `operator:arn:aws:sts::${rehearsal.deployment.account}:assumed-role/${role}/operator`;
      const audited = JSON.parse(await operator(rehearsal, ['show', cast.agency, '--format', 'json'])) as { history: { by: string }[] };
      expectThat(audited.history.at(-1)?.by === caller, `the revocation is by ${caller} (got ${audited.history.at(-1)?.by})`);
      await operator(rehearsal, ['reinstate', '--reason', 'Rehearsal', cast.agency]);
      await operator(rehearsal, ['renew', cast.expiring]);
      await operator(rehearsal, ['suppressions', 'list']);
      await operator(rehearsal, ['suppressions', 'remove', cast.bounced]);
      // Its mailbox works again: confirming the address resumes the suspended account.
      await signUpAndConfirm(rehearsal, cast.bounced);
      await operator(rehearsal, ['deliveries', 'list']);
      await operator(rehearsal, ['export', '--format', 'jsonl']);
      const pending = 'pending-resend@gsa.gov';
      expectStatus(await rehearsal.http('POST', '/signup', { json: { email: pending } }), 202, 'a sign-up to resend');
      await operator(rehearsal, ['resend', pending]);
      expectThat((await rehearsal.emailsTo(pending)).length === 2, 'resend sends a fresh link');
      const reviews = (await rehearsal.emailsTo(cast.sponsor)).length;
      await operator(rehearsal, ['resend', cast.waiting]);
      expectThat((await rehearsal.emailsTo(cast.sponsor)).length === reviews + 1, 'resend sends the sponsor a fresh approval link');
      await operator(rehearsal, ['sweep']);
    },
  },
  {
    name: 'the sandbox’s machine routes: SigV4 under its own role, the roster and an activity report',
    async run(rehearsal, cast) {
      expectStatus(await rehearsal.http('GET', '/v1/accounts'), 403, 'the roster, unsigned');
      const sandbox = rehearsal.sandboxPrincipal();
      const roster = await rehearsal.http('GET', '/v1/accounts?status=active&count=50', { signedAs: sandbox });
      expectStatus(roster, 200, 'the roster, signed by the sandbox’s role');
      const names = (JSON.parse(roster.body) as { Resources: { userName: string }[] }).Resources.map((entry) => entry.userName);
      expectThat(names.includes(cast.agency), `the roster lists who may enter (got ${names.join(', ')})`);
      const report = { activity: [{ email: cast.agency, lastSeenAt: new Date().toISOString() }] };
      const reported = await rehearsal.http('POST', '/v1/activity', { json: report, signedAs: sandbox });
      expectStatus(reported, 200, 'an activity report');
      expectThat(JSON.parse(reported.body).accepted === 1, `the report is accepted (got ${reported.body})`);
    },
  },
  ...TIMED_JOURNEYS,
];

export const cast: Cast = {
  agency: 'ada@gsa.gov',
  sponsor: 'sam.sponsor@gsa.gov',
  renewed: 'rita@acme-contracting.com',
  expiring: 'eli@acme-contracting.com',
  cancelling: 'nina@acme-contracting.com',
  bounced: 'gone@gsa.gov',
  waiting: 'wes@acme-contracting.com',
  leaving: 'lee@nasa.gov',
  leavingToo: 'uma@usa.gov',
  leavingSponsor: 'sue.sponsor@gsa.gov',
  orphaned: 'cora@acme-contracting.com',
};
