import type { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** What a deployment is made of: the context values `infra/gatekeeper-app.ts` reads and checks at synth. */
export interface GatekeeperSettings {
  /** Sender address; must belong to the SES identity. */
  readonly mailFrom: string;
  /** SES identity (domain or address) that sends. */
  readonly sesIdentity: string;
  /** Public origin links point to; default: the custom domain, else the API's own domain from the request context. */
  readonly baseUrl?: string;
  /** Custom domain for the API, with an ACM certificate (same region) that covers it. */
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly allowedOrigins?: string;
  readonly allowedDomainSuffixes?: string;
  readonly deniedDomains?: string;
  /** Local parts of shared mailboxes that cannot sponsor anyone (default: info, admin, noreply…). */
  readonly deniedSponsorMailboxes?: string;
  readonly sandboxUrl?: string;
  /** A partner's thank-you page (on an allowed origin) for its no-JavaScript form posts. */
  readonly signupSuccessUrl?: string;
  /** The sandbox's webhook receiver (https): access events are recorded and sent only when set. */
  readonly webhookUrl?: string;
  /** Named in every email as the address to write to. */
  readonly supportEmail?: string;
  /** The operator's privacy policy and accessibility statement (https), linked from every page's footer. */
  readonly privacyUrl?: string;
  readonly accessibilityUrl?: string;
  /**
   * Sponsors sign in with this OpenID provider (e.g. Login.gov's sandbox) as this client, with the
   * private key an operator puts in the `OidcClientKey` secret; without them, by an emailed code.
   */
  readonly oidcIssuer?: string;
  readonly oidcClientId?: string;
  /** Where the daily load fetches the .gov registry's current-full.csv (https); without it the deployed snapshot stays. */
  readonly registryUrl?: string;
  /** Alarm notifications: an existing topic, else a new one (with an optional email subscriber). */
  readonly alarmTopicArn?: string;
  readonly alarmEmail?: string;
  /** Limits and lifetimes as the functions' environment variables (RATE_LIMIT_…, …_TTL_SECONDS). */
  readonly limits?: Readonly<Record<string, string>>;
  /**
   * CloudFront with AWS WAF in front of the API (context `edge=true`): `domainName` becomes the
   * origin, `edgeDomainName` the public name (certificate: `edgeCertificateArn`, else
   * `certificateArn`, in us-east-1), and the API's execute-api endpoint is disabled.
   */
  readonly edge?: {
    readonly domainName: string;
    readonly certificateArn: string;
    readonly requestsPerFiveMinutes: number;
  };
  /** Default stage throttling: steady requests per second and burst. */
  readonly throttleRatePerSecond?: number;
  readonly throttleBurst?: number;
  readonly logRetention?: RetentionDays;
  /** How often the lifecycle sweep runs (minutes; default 5). */
  readonly sweepIntervalMinutes?: number;
  /** An operator role that may also read the signing keys and the webhook secret (admin sweep, resend). */
  readonly operatorRole?: boolean;
  /** The sandbox's AWS account: a role it may assume to call the machine routes (SigV4). */
  readonly sandboxAccountId?: string;
}
