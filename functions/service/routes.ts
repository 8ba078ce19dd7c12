/**
 * The one route table: path → the handler that serves it and the methods it answers. The CDK
 * stack and the local server both read it; deploy-only facts (entry files, grants, API
 * Gateway's path syntax) live in infra/function-specs.ts. GET implies HEAD; a path with POST
 * answers CORS preflight (OPTIONS). Anything else goes to the fallback handler (404, or 405 on
 * a known path).
 */

/** The HTTP functions by name; each is one Lambda entry point, functions/handlers/<name>.ts. */
export type HandlerName = 'pages' | 'assets' | 'health' | 'signup' | 'verify' | 'sponsorships' | 'review' | 'decision' | 'fallback';
export type Method = 'GET' | 'POST';

export interface Route {
  readonly path: string;
  readonly methods: readonly Method[];
  readonly handler: HandlerName;
  /** Also every path below `path` (API Gateway: `path/{proxy+}`). */
  readonly prefix?: boolean;
}

export const routes = [
  { path: '/', methods: ['GET'], handler: 'pages' },
  { path: '/healthz', methods: ['GET'], handler: 'health' },
  { path: '/signup', methods: ['POST'], handler: 'signup' },
  { path: '/verify', methods: ['GET', 'POST'], handler: 'verify' },
  { path: '/contractors', methods: ['GET'], handler: 'pages' },
  { path: '/sponsorships', methods: ['POST'], handler: 'sponsorships' },
  { path: '/sponsorships/review', methods: ['GET'], handler: 'review' },
  { path: '/sponsorships/decision', methods: ['POST'], handler: 'decision' },
  { path: '/assets', methods: ['GET'], handler: 'assets', prefix: true },
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
