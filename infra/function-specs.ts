import type { HandlerName, Route } from '../functions/service/routes';

/**
 * Where each function's code lives and what it may touch: deploy-only facts about the handlers
 * that the shared route table (functions/service/routes.ts) names.
 */
/** `table-delete`: may also remove an account (a person cancelling their own pending request). */
export type Capability = 'table-read' | 'table-write' | 'table-delete' | 'mail' | 'signing-keys' | 'static-files';

export interface HandlerSpec {
  readonly entry: string;
  readonly description: string;
  /** What the function touches; the stack grants exactly these. */
  readonly uses: readonly Capability[];
}

export const handlers = {
  pages: { entry: 'functions/handlers/pages.ts', description: 'Sign-up and contractor request pages', uses: [] },
  assets: { entry: 'functions/handlers/assets.ts', description: 'USWDS and page assets', uses: ['static-files'] },
  health: { entry: 'functions/handlers/health.ts', description: 'Liveness', uses: [] },
  signup: { entry: 'functions/handlers/signup.ts', description: 'POST /signup: sends a verification link', uses: ['table-write', 'mail'] },
  verify: {
    entry: 'functions/handlers/verify.ts',
    description: 'GET/POST /verify: shows and consumes verification links; asks a contractor’s sponsor',
    uses: ['table-write', 'table-delete', 'mail', 'signing-keys'],
  },
  sponsorships: {
    entry: 'functions/handlers/sponsorships.ts',
    description: 'POST /sponsorships: a contractor’s request',
    uses: ['table-write', 'mail'],
  },
  review: {
    entry: 'functions/handlers/review.ts',
    description: 'GET /sponsorships/review: the sponsor’s review page',
    uses: ['table-read', 'signing-keys'],
  },
  decision: {
    entry: 'functions/handlers/decision.ts',
    description: 'POST /sponsorships/decision: approve or deny',
    uses: ['table-write', 'mail', 'signing-keys'],
  },
  fallback: { entry: 'functions/handlers/fallback.ts', description: 'Unknown routes and methods', uses: [] },
} as const satisfies Record<HandlerName, HandlerSpec>;

/** Functions not behind the API: SES bounces and complaints, and SES reputation alarms, from SNS. */
export const eventHandlers = {
  breaker: {
    entry: 'functions/handlers/breaker.ts',
    description: 'SES reputation alarms: open the breaker that holds anonymous mail',
    uses: ['table-write'],
  },
  feedback: {
    entry: 'functions/handlers/feedback.ts',
    description: 'SES bounces and complaints: suppress the address',
    uses: ['table-write'],
  },
} as const satisfies Record<string, HandlerSpec>;

/** The route's path as API Gateway spells it. */
export function apiGatewayPath(route: Route): string {
  return route.prefix ? `${route.path}/{proxy+}` : route.path;
}
