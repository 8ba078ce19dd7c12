import { ask, emailedToken, expectStatus, expectThat, type Journey, openPage, operator, signIn, signUpAndConfirm } from './journey-steps';

/**
 * The journeys of the service's own timed work, last in the run: the daily registry refresh and
 * what its sweep does, then the clock moved forward (reconfirmation, renewal notices, expiry,
 * unanswered requests), then emails a spent budget held — the only journeys that move it.
 */
export const TIMED_JOURNEYS: readonly Journey[] = [
  {
    name: 'the daily registry refresh: domains that left suspend their accounts at the next sweep (scheduled, or the operator’s)',
    async run(rehearsal, cast) {
      const leavers = [cast.leaving, cast.leavingToo];
      for (const leaver of leavers) await signUpAndConfirm(rehearsal, leaver);
      // Their access.granted events go first; the same registry file again is not loaded again.
      await rehearsal.schedule('sweep');
      await rehearsal.schedule('registry');
      const leave = async (email: string) => {
        const domain = email.split('@')[1]!;
        const rows = rehearsal.receiver.registryCsv.split('\n');
        rehearsal.receiver.registryCsv = rows.filter((row) => !row.startsWith(`${domain},`)).join('\n');
        await rehearsal.schedule('registry');
      };
      await leave(cast.leaving);
      await rehearsal.schedule('sweep');
      const suspended = rehearsal.receiver.events.filter((event) => event.type === 'access.suspended');
      expectThat(
        suspended.length === 1 && suspended[0]!.data.email === cast.leaving && suspended[0]!.data.agency !== null,
        `the sandbox verified one access.suspended naming the agency (got ${JSON.stringify(suspended)})`,
      );
      // The operator's sweep does the same (its event reaches the sandbox in the last journey).
      await leave(cast.leavingToo);
      await operator(rehearsal, ['sweep']);
      for (const leaver of leavers) {
        const shown = JSON.parse(await operator(rehearsal, ['--format', 'json', 'show', leaver])) as { status: string };
        expectThat(shown.status === 'suspended', `the operator sees ${leaver} suspended (got ${shown.status})`);
      }
      const again = await rehearsal.http('POST', '/signup', { json: { email: `someone.else@${cast.leaving.split('@')[1]}` } });
      expectStatus(again, 422, 'a sign-up at a domain that left');
      await operator(rehearsal, ['reinstate', '--reason', 'Rehearsal: the domain is registered again', cast.leaving]);
    },
  },
  {
    name: 'a yearly reconfirmation kept, renewal notice, expiry and an unanswered request by the scheduled sweep, told to the sandbox and the people',
    async run(rehearsal, cast) {
      await rehearsal.schedule();
      const before = (await rehearsal.emailsTo(cast.sponsor)).length;
      // A year on, the yearly reconfirmation warns; its link keeps the account (the clock starts again).
      rehearsal.advance(360);
      await rehearsal.schedule();
      const keep = await emailedToken(rehearsal, cast.agency, '/keep');
      await openPage(rehearsal, `/keep?token=${keep}`, 'the keep page of a dormancy warning');
      const kept = await rehearsal.http('POST', '/keep', { json: { token: keep } });
      expectStatus(kept, 200, 'keeping the account');
      // A year on (past the email cooldown), the contractor whose sponsor's mailbox bounced names another, whose approval moves the sponsorship (the access never lapses).
      await ask(rehearsal, cast.orphaned, cast.sponsor);
      const moving = await rehearsal.http('POST', '/verify', { json: { token: await emailedToken(rehearsal, cast.orphaned, '/verify') } });
      expectThat(
        JSON.parse(moving.body).status === 'active',
        `the request for another sponsor, confirmed, leaves the access active (got ${moving.body})`,
      );
      const review = await emailedToken(rehearsal, cast.sponsor, '/sponsorships/review');
      const session = await signIn(rehearsal, cast.sponsor);
      const moved = await rehearsal.http('POST', '/sponsorships/decision', {
        json: { token: review, decision: 'approve', csrf: session.csrf },
        cookies: session.cookies,
      });
      expectStatus(moved, 200, 'the new sponsor approving');
      rehearsal.advance(2 * 365 - 20 - 360);
      await rehearsal.schedule();
      expectThat((await rehearsal.emailsTo(cast.sponsor)).length > before, 'the sponsor gets a renewal notice');
      const told = (await rehearsal.emailsTo(cast.expiring)).map((email) => email.subject);
      expectThat(told.includes('Your sandbox access ends soon'), `the contractor gets a notice too (got ${told.join(' | ')})`);
      rehearsal.advance(40);
      // EventBridge delivers at least once: two runs at once race for the same due accounts, and
      // each change still happens once (the loser reads the account again).
      await Promise.all([rehearsal.schedule('sweep'), rehearsal.schedule('sweep')]);
      await rehearsal.schedule();
      await rehearsal.schedule();
      const orphaned = (await rehearsal.emailsTo(cast.orphaned)).map((email) => email.subject);
      expectThat(
        orphaned.includes('Your sandbox sponsor no longer receives email'),
        `a contractor whose sponsor's mailbox bounced is told (got ${orphaned.join(' | ')})`,
      );
      const undecided = (await rehearsal.emailsTo(cast.waiting)).map((email) => email.subject);
      expectThat(
        undecided.includes('Your sandbox access request was not decided'),
        `a request nobody answered ends as no_decision, its contractor told (got ${undecided.join(' | ')})`,
      );
      const types = rehearsal.receiver.events.map((event) => `${event.type}:${String(event.data.email)}`);
      for (const expected of [
        `access.granted:${cast.agency}`,
        `access.granted:${cast.renewed}`,
        `access.renewed:${cast.renewed}`,
        `access.revoked:${cast.renewed}`,
        `access.expired:${cast.expiring}`,
        `access.suspended:${cast.leaving}`,
        `access.suspended:${cast.bounced}`,
        `access.suspended:${cast.leavingToo}`,
        `access.granted:${cast.leaving}`,
      ]) {
        expectThat(
          types.includes(expected),
          `the sandbox verified ${expected} (got ${types.join(', ') || 'nothing'}; refused: ${rehearsal.receiver.refused.join('; ') || 'none'})`,
        );
      }
    },
  },
  {
    name: 'one client past its share of an agency’s new-address budget: its emails held, then sent by the operator’s sweep and the scheduled one',
    async run(rehearsal) {
      // One client network may email 5 new addresses of a domain an hour; what it asks past that waits.
      const signUp = async (names: readonly string[]) => {
        for (const name of names)
          expectStatus(await rehearsal.http('POST', '/signup', { json: { email: `${name}@epa.gov` } }), 202, 'sign-up');
      };
      const linked = async (name: string) =>
        (await rehearsal.emailsTo(`${name}@epa.gov`)).some((email) => /\/verify\?token=/.test(email.body.text ?? ''));
      await signUp(['ana', 'ben', 'cai', 'dev', 'eve', 'fay']);
      expectThat(!(await linked('fay')), 'the sixth new address of the hour is held, not sent');
      rehearsal.advance(1 / 24);
      await operator(rehearsal, ['sweep']);
      expectThat(await linked('fay'), 'the operator’s sweep sends it in the next hour, its budgets charged');
      await signUp(['gus', 'hal', 'ida', 'jon', 'kit']);
      expectThat(!(await linked('kit')), 'the share of that hour is spent again');
      rehearsal.advance(1 / 24);
      await rehearsal.schedule('sweep');
      expectThat(await linked('kit'), 'the scheduled sweep sends it an hour on');
    },
  },
];
