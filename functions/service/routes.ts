/**
 * The one route table: path → the handler that serves it and the methods it answers. The CDK
 * stack and the local server both read it; deploy-only facts (entry files, grants, API
 * Gateway's path syntax) live in infra/function-specs.ts. GET implies HEAD; a path with POST
 * answers CORS preflight (OPTIONS). Anything else goes to the fallback handler (404, or 405 on
 * a known path).
 */

import type { LinkKind } from '../core/email';

/** The HTTP functions by name; each is one Lambda entry point, functions/handlers/<name>.ts. */
export type HandlerName =
  | 'pages'
  | 'assets'
  | 'health'
  | 'signup'
  | 'verify'
  | 'sponsorships'
  | 'review'
  | 'decision'
  | 'manage'
  | 'signIn'
  | 'machine'
  | 'fallback';
export type Method = 'GET' | 'POST';

/** Requests per second, steady and in a burst, that the edge lets through to one route. */
export interface Throttle {
  readonly rate: number;
  readonly burst: number;
}

export interface Route {
  readonly path: string;
  readonly methods: readonly Method[];
  readonly handler: HandlerName;
  /**
   * API Gateway's throttle for the route: one bucket shared by every client, a ceiling on what
   * the route may cost, never a per-client limit (those are the functions' own, and the edge's).
   * So it stays well above what one client may send (infra/edge.ts checks at synth), or one
   * client alone could fill it and shut everyone out.
   */
  readonly throttle: Throttle;
  /** Also every path below `path` (API Gateway: `path/{proxy+}`). */
  readonly prefix?: boolean;
  /** The kind of emailed link that opens this page (service/links.ts builds its URL). */
  readonly link?: Exclude<LinkKind, 'sandbox'>;
  /**
   * A machine route, for the sandbox only: callers sign with AWS SigV4 (service `execute-api`),
   * checked by API Gateway's IAM authorization in AWS and by the local server on the laptop.
   */
  readonly auth?: 'iam';
}

export const routes = [
  { path: '/', methods: ['GET'], handler: 'pages', link: 'sign-up', throttle: { rate: 100, burst: 200 } },
  { path: '/healthz', methods: ['GET'], handler: 'health', throttle: { rate: 50, burst: 100 } },
  { path: '/signup', methods: ['POST'], handler: 'signup', throttle: { rate: 50, burst: 100 } },
  { path: '/verify', methods: ['GET', 'POST'], handler: 'verify', link: 'verify', throttle: { rate: 50, burst: 100 } },
  { path: '/keep', methods: ['GET', 'POST'], handler: 'verify', link: 'keep', throttle: { rate: 50, burst: 100 } },
  { path: '/contractors', methods: ['GET'], handler: 'pages', link: 'new-request', throttle: { rate: 100, burst: 200 } },
  { path: '/sponsorships', methods: ['POST'], handler: 'sponsorships', throttle: { rate: 50, burst: 100 } },
  { path: '/sponsorships/review', methods: ['GET'], handler: 'review', link: 'review', throttle: { rate: 50, burst: 100 } },
  { path: '/sponsorships/decision', methods: ['POST'], handler: 'decision', throttle: { rate: 50, burst: 100 } },
  { path: '/sponsors', methods: ['GET'], handler: 'manage', link: 'dashboard', throttle: { rate: 50, burst: 100 } },
  { path: '/sponsors/manage', methods: ['POST'], handler: 'manage', throttle: { rate: 50, burst: 100 } },
  { path: '/sign-in', methods: ['GET'], handler: 'signIn', throttle: { rate: 50, burst: 100 } },
  { path: '/sign-in/code', methods: ['POST'], handler: 'signIn', throttle: { rate: 50, burst: 100 } },
  { path: '/sign-in/verify', methods: ['POST'], handler: 'signIn', throttle: { rate: 50, burst: 100 } },
  { path: '/sign-out', methods: ['POST'], handler: 'signIn', throttle: { rate: 50, burst: 100 } },
  { path: '/auth/callback', methods: ['GET'], handler: 'signIn', throttle: { rate: 50, burst: 100 } },
  { path: '/openapi.json', methods: ['GET'], handler: 'pages', throttle: { rate: 50, burst: 100 } },
  { path: '/assets', methods: ['GET'], handler: 'assets', prefix: true, throttle: { rate: 200, burst: 400 } },
  { path: '/v1/activity', methods: ['POST'], handler: 'machine', auth: 'iam', throttle: { rate: 50, burst: 100 } },
  { path: '/v1/accounts', methods: ['GET'], handler: 'machine', auth: 'iam', throttle: { rate: 50, burst: 100 } },
] as const satisfies readonly Route[];

export const fallbackHandler: HandlerName = 'fallback';

/** The methods a handler answers: what its routes list, so its actions must be exactly these. */
export type MethodsOf<H extends HandlerName> = Extract<(typeof routes)[number], { readonly handler: H }>['methods'][number];

export function methodsOf(handler: HandlerName): Method[] {
  return [...new Set(routes.flatMap((route): readonly Method[] => (route.handler === handler ? route.methods : [])))];
}

/**
 * The route a path belongs to. A prefix route owns only the paths strictly below it (as API
 * Gateway's `path/{proxy+}` does): `/assets` and `/assets/` themselves are unknown, in AWS and locally.
 */
export function findRoute(path: string): Route | undefined {
  return routes.find((route: Route) =>
    route.prefix === true ? path.startsWith(`${route.path}/`) && path.length > route.path.length + 1 : route.path === path,
  );
}

/** The methods a path answers, as an `Allow` header lists them. */
export function allowedMethods(route: Pick<Route, 'methods'>): string[] {
  const allow = new Set<string>();
  for (const method of route.methods) {
    allow.add(method);
    if (method === 'GET') allow.add('HEAD');
    if (method === 'POST') allow.add('OPTIONS');
  }
  return [...allow];
}
