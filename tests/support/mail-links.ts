import { type LocalService, tokenIn } from '../../infra/harness/local-service';
import { eventually } from './eventually';

export { tokenIn };

/** The token of the newest link to `path` in the emails `address` got (waiting for one to arrive), optionally only those matching `subject`. */
export async function emailedToken(mailbox: LocalService, address: string, path: string, subject = ''): Promise<string> {
  const emails = await eventually(
    async () => (await mailbox.emailsTo(address)).filter((email) => email.subject.includes(subject) && tokenIn(email.body.text, path)),
    (found) => found.length > 0,
  );
  return tokenIn(emails.at(-1)!.body.text, path)!;
}

/** A contractor's request naming `sponsor`, made through `service`; returns the contractor's verification token from `mailbox`. */
export async function requestAccess(service: LocalService, mailbox: LocalService, contractor: string, sponsor: string): Promise<string> {
  await service.postJson('/sponsorships', {
    email: contractor,
    name: 'Casey',
    company: 'Acme',
    sponsorEmail: sponsor,
    justification: 'Work.',
  });
  return emailedToken(mailbox, contractor, '/verify');
}
