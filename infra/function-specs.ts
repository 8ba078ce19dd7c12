import type { HandlerName, Route } from '../functions/service/routes';
import type { IndexName, ItemFamily } from '../functions/service/table';

/**
 * Where each function's code lives and what it may touch: deploy-only facts about the handlers
 * that the shared route table (functions/service/routes.ts) names.
 */
export type Capability =
  | 'mail'
  | 'signing-keys'
  | 'static-files'
  | 'webhook-secret'
  | 'oidc-client-key'
  | 'registry-snapshot'
  /** Behind the edge, refuses what did not come through CloudFront (functions/http/http-handler.ts): reads the origin secret. */
  | 'edge-secret';

/**
 * What a function does with the table, by item family (partition-key prefix) and index: the
 * stack grants exactly this, with `dynamodb:LeadingKeys` conditions, so a function can touch
 * no other family's items.
 */
export interface TableAccess {
  /** Families it reads (GetItem). */
  readonly read: readonly ItemFamily[];
  /** Families it reads several items of at once (BatchGetItem). */
  readonly readMany?: readonly ItemFamily[];
  /** Families whose partitions it queries on the table itself (a sponsor's requests). */
  readonly queryPartitions?: readonly ItemFamily[];
  /** Families it writes (conditional PutItem/UpdateItem). */
  readonly write: readonly ItemFamily[];
  /** Families it writes in batches (BatchWriteItem: reference data loaded whole, the registry). */
  readonly writeMany?: readonly ItemFamily[];
  /** May remove an account (DeleteItem): a person cancelling their own pending request. */
  readonly removeAccounts?: boolean;
  /** Scans the table for its account items (the sandbox's roster); Scan takes no leading key. */
  readonly scanAccounts?: boolean;
  /** Indexes it queries. */
  readonly indexes: readonly IndexName[];
}

export interface HandlerSpec {
  readonly entry: string;
  readonly description: string;
  /** What the function touches besides the table; the stack grants exactly these. */
  readonly uses: readonly Capability[];
  readonly table?: TableAccess;
  /** Longer than the 10 s default only for work that is not a person waiting. */
  readonly timeoutSeconds?: number;
}

/** An anonymous request: reads the account, its mailbox's suppression, the breaker and the .gov registry; counts limits; writes the account. */
const ANONYMOUS_REQUEST: TableAccess = {
  read: ['account', 'suppression', 'breaker', 'registry'],
  write: ['account', 'limit'],
  indexes: [],
};

export const handlers = {
  pages: { entry: 'functions/handlers/pages.ts', description: 'Sign-up and contractor request pages', uses: ['edge-secret'] },
  assets: { entry: 'functions/handlers/assets.ts', description: 'USWDS and page assets', uses: ['edge-secret', 'static-files'] },
  health: {
    entry: 'functions/handlers/health.ts',
    description: 'Liveness, and with ?deep=1 readiness (one read of the breaker item)',
    uses: ['edge-secret'],
    table: { read: ['breaker'], write: [], indexes: [] },
  },
  signup: {
    entry: 'functions/handlers/signup.ts',
    description: 'POST /signup: sends a verification link',
    uses: ['edge-secret', 'mail'],
    table: ANONYMOUS_REQUEST,
  },
  verify: {
    entry: 'functions/handlers/verify.ts',
    description: 'GET/POST /verify: shows and consumes verification links; asks a contractor’s sponsor',
    // An agency's confirmation sends the sandbox's event at once.
    uses: ['edge-secret', 'mail', 'signing-keys', 'webhook-secret'],
    table: { read: ['account', 'suppression'], write: ['account', 'limit', 'sponsor'], removeAccounts: true, indexes: ['byLink'] },
  },
  sponsorships: {
    entry: 'functions/handlers/sponsorships.ts',
    description: 'POST /sponsorships: a contractor’s request',
    uses: ['edge-secret', 'mail'],
    table: ANONYMOUS_REQUEST,
  },
  review: {
    entry: 'functions/handlers/review.ts',
    description: 'GET /sponsorships/review: the sponsor’s review page',
    // The viewer's session is checked against the sponsor's record (a sign-out ends it).
    uses: ['edge-secret', 'signing-keys'],
    table: { read: ['account', 'sponsor'], write: [], indexes: ['byRequest'] },
  },
  decision: {
    entry: 'functions/handlers/decision.ts',
    description: 'POST /sponsorships/decision: a signed-in sponsor approves or denies',
    // Session tokens are verified with the signing keys; a dashboard decision names the request among the sponsor's.
    // An approval sends the sandbox's event at once.
    uses: ['edge-secret', 'mail', 'signing-keys', 'webhook-secret'],
    table: { read: ['account', 'sponsor', 'suppression'], write: ['account', 'limit'], indexes: ['byRequest'] },
  },
  manage: {
    entry: 'functions/handlers/manage.ts',
    description: 'GET /sponsors, POST /sponsors/manage: a signed-in sponsor lists, renews and ends their contractors’ access',
    // A renewal or an end sends the sandbox's event at once.
    uses: ['edge-secret', 'mail', 'signing-keys', 'webhook-secret'],
    table: {
      read: ['account', 'sponsor', 'suppression'],
      readMany: ['account'],
      queryPartitions: ['sponsor'],
      write: ['account', 'limit'],
      indexes: [],
    },
  },
  signIn: {
    entry: 'functions/handlers/sign-in.ts',
    description: 'Sponsor sign-in: an emailed one-time code, or OpenID Connect; sign-out',
    // The OIDC client's key only when the stack names a provider.
    uses: ['edge-secret', 'mail', 'signing-keys', 'oidc-client-key'],
    // The .gov registry: a code goes only to a domain the registry lists.
    table: { read: ['sponsor', 'suppression', 'breaker', 'registry'], write: ['sponsor', 'limit'], indexes: [] },
  },
  machine: {
    entry: 'functions/handlers/machine.ts',
    description: 'The sandbox’s routes (SigV4): its activity reports (POST /v1/activity) and the roster (GET /v1/accounts)',
    uses: [],
    // Activity: the reported accounts in batches, each moved forward by its conditional write; the roster: a scan of the accounts.
    table: { read: [], readMany: ['account'], write: ['account'], scanAccounts: true, indexes: [] },
  },
  fallback: { entry: 'functions/handlers/fallback.ts', description: 'Unknown routes and methods', uses: [] },
} as const satisfies Record<HandlerName, HandlerSpec>;

/**
 * Functions not behind the API: SES bounces and complaints, SES reputation alarms (SNS), the
 * scheduled sweep, and the deploy step that fills the webhook secret.
 */
export const eventHandlers = {
  sweep: {
    entry: 'functions/handlers/sweep.ts',
    description:
      'Lifecycle sweep: reminders, expiries, suspensions of accounts whose domain left the registry, delivery retries and webhook events that are due',
    // Retried review emails carry a fresh approval token; it sends the events of its own changes and retries the others'.
    uses: ['mail', 'signing-keys', 'webhook-secret'],
    // Due accounts page after page: it stops taking more before its deadline; the next run takes the rest.
    timeoutSeconds: 60,
    // A domain that left the registry: its accounts by the domain index, then its due mark cleared.
    // An email a spent budget held: its budgets' counters charged before it goes.
    table: { read: ['account', 'suppression', 'breaker'], write: ['account', 'registry', 'limit'], indexes: ['byDue', 'byDomain'] },
  },
  registry: {
    entry: 'functions/handlers/registry.ts',
    description: 'The .gov registry: loads the snapshot it carries at deploy (custom step), and REGISTRY_URL daily when set',
    // The registry's items only: its snapshot fact, its 36 partitions, whole items in batches.
    uses: ['registry-snapshot'],
    timeoutSeconds: 300,
    table: { read: ['registry'], queryPartitions: ['registry'], write: ['registry'], writeMany: ['registry'], indexes: [] },
  },
  breaker: {
    entry: 'functions/handlers/breaker.ts',
    description: 'SES reputation alarms: open the breaker that holds anonymous mail',
    uses: [],
    table: { read: [], write: ['breaker'], indexes: [] },
  },
  feedback: {
    entry: 'functions/handlers/feedback.ts',
    description:
      'SES bounces and complaints: suppress the address; a permanent bounce suspends its active account and tells a sponsor’s contractors',
    uses: [],
    // The account's suspension records the sandbox's event; the sweep sends it (this function holds no webhook secret).
    // A sponsor's mailbox: their requests (their partition), the accounts in a batch, each notice in its account's outbox.
    table: { read: ['account'], readMany: ['account'], queryPartitions: ['sponsor'], write: ['suppression', 'account'], indexes: [] },
  },
  webhookSecret: {
    entry: 'functions/handlers/webhook-secret.ts',
    description: 'Deploy step (custom resource): puts a new whsec_ value in the webhook secret when the stack makes it',
    // Made only with webhookUrl. CloudFormation's request names the secret; the stack lets it put a
    // value in that secret alone, and it reads no service configuration (no table).
    uses: [],
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, HandlerSpec>;

/** The route's path as API Gateway spells it. */
export function apiGatewayPath(route: Route): string {
  return route.prefix ? `${route.path}/{proxy+}` : route.path;
}
