import { type LocalService, tokenIn } from '../../infra/harness/local-service';
import { type SponsorSignIn, signInByCode } from '../../infra/harness/sponsor-sign-in';

/** What one request cost DynamoDB, from the metrics its invocation wrote (adapters/dynamodb-work.ts). */
export interface Work {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
}

/** A sponsor's review link and the signed-in session that may decide it. */
export interface Review {
  readonly token: string;
  readonly session: SponsorSignIn;
}

/** The person's side of each flow, through the local server's HTTP interface. */
export class Flows {
  constructor(private readonly service: LocalService) {}

  async signUp(email: string): Promise<void> {
    const response = await this.service.postJson('/signup', { email });
    if (response.status !== 202) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
  }

  async verify(token: string): Promise<void> {
    const response = await this.service.postJson('/verify', { token });
    if (response.status !== 200) throw new Error(`verification answered ${response.status}: ${await response.text()}`);
  }

  /** A decision as a signed-in sponsor makes it: the review link's token, the session and its CSRF token. */
  async decide(review: Review): Promise<void> {
    const response = await this.service.postJson(
      '/sponsorships/decision',
      { token: review.token, decision: 'approve', csrf: review.session.csrf },
      review.session.headers,
    );
    if (response.status !== 200) throw new Error(`decision answered ${response.status}: ${await response.text()}`);
  }

  /** The newest token of a link to `path` in each address's mail, from one read of the mailbox. */
  async tokens(addresses: readonly string[], path: string): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let attempt = 0; attempt < 50 && found.size < addresses.length; attempt++) {
      const emails = await this.service.emails();
      for (const email of emails) {
        const token = tokenIn(email.body.text, path);
        if (token) for (const to of email.destination.to) found.set(to, token);
      }
      if (found.size < addresses.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const missing = addresses.filter((address) => !found.has(address));
    if (missing.length) throw new Error(`no ${path} link reached ${missing.length} addresses (first: ${missing[0]})`);
    return new Map(addresses.map((address) => [address, found.get(address)!]));
  }

  /**
   * Contractors confirmed, all naming one sponsor, who then signs in by the emailed code: each
   * review link, with the session that may decide it (decisions belong to a signed-in sponsor).
   */
  async reviewTokens(prefix: string, count: number): Promise<Review[]> {
    const contractors = Array.from({ length: count }, (_, i) => `c${prefix}${i}@acme-corp.com`);
    const sponsor = `s${prefix}@agency.gov`;
    for (const email of contractors) {
      const response = await this.service.postJson('/sponsorships', {
        email,
        name: 'Casey Contractor',
        company: 'Acme',
        sponsorEmail: sponsor,
        justification: 'Integration testing.',
      });
      if (response.status !== 202) throw new Error(`contractor request answered ${response.status}`);
    }
    const verifications = await this.tokens(contractors, '/verify');
    for (const email of contractors) await this.verify(verifications.get(email)!);
    const reviews = (await this.service.emailsTo(sponsor)).flatMap((email) => tokenIn(email.body.text, '/sponsorships/review') ?? []);
    if (reviews.length < count) throw new Error(`${reviews.length} of ${count} review links reached ${sponsor}`);
    const session = await signInByCode(this.service, sponsor);
    return reviews.map((token) => ({ token, session }));
  }

  /** Runs one request alone and reads the DynamoDB work its invocation counted. */
  async workOf(request: () => Promise<void>): Promise<Work> {
    const before = this.service.output.length;
    await request();
    for (let attempt = 0; attempt < 40; attempt++) {
      const line = this.service.output.slice(before).find((entry) => entry.includes('"DynamoDBReads"'));
      if (line) {
        const emf = JSON.parse(line) as Record<string, number>;
        return {
          reads: emf.DynamoDBReads ?? 0,
          writes: emf.DynamoDBWrites ?? 0,
          readUnits: emf.DynamoDBReadUnits ?? 0,
          writeUnits: emf.DynamoDBWriteUnits ?? 0,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the request wrote no DynamoDB work metrics (is POWERTOOLS_METRICS_DISABLED=false?)');
  }
}
