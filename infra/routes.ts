/**
 * The one route table: path → the handler that serves it and the methods it answers. The CDK
 * stack and the local server both read it. GET implies HEAD; a path with POST answers CORS
 * preflight (OPTIONS). Anything else goes to the fallback handler (404, or 405 on a known path).
 */
export type Capability = 'table-read' | 'table-write' | 'mail' | 'signing-keys' | 'static-files';

export interface HandlerSpec {
  readonly entry: string;
  readonly description: string;
  /** What the function touches; the stack grants exactly these. */
  readonly uses: readonly Capability[];
}

export const handlers = {
  pages: { entry: 'functions/pages.ts', description: 'Sign-up and contractor request pages', uses: [] },
  assets: { entry: 'functions/assets.ts', description: 'USWDS and page assets', uses: ['static-files'] },
  health: { entry: 'functions/health.ts', description: 'Liveness', uses: [] },
  signup: { entry: 'functions/signup.ts', description: 'POST /signup: sends a verification link', uses: ['table-write', 'mail'] },
  verify: {
    entry: 'functions/verify.ts',
    description: 'GET/POST /verify: shows and consumes verification links; asks a contractor’s sponsor',
    uses: ['table-write', 'mail', 'signing-keys'],
  },
  sponsorships: { entry: 'functions/sponsorships.ts', description: 'POST /sponsorships: a contractor’s request', uses: ['table-write', 'mail'] },
  review: { entry: 'functions/review.ts', description: 'GET /sponsorships/review: the sponsor’s review page', uses: ['table-read', 'signing-keys'] },
  decision: {
    entry: 'functions/decision.ts',
    description: 'POST /sponsorships/decision: approve or deny',
    uses: ['table-write', 'mail', 'signing-keys'],
  },
  fallback: { entry: 'functions/fallback.ts', description: 'Unknown routes and methods', uses: [] },
} as const satisfies Record<string, HandlerSpec>;

/** Functions not behind the API: SES bounce and complaint events from SNS. */
export const eventHandlers = {
  feedback: { entry: 'functions/feedback.ts', description: 'SES bounces and complaints: suppress the address', uses: ['table-write'] },
} as const satisfies Record<string, HandlerSpec>;

export type HandlerName = keyof typeof handlers;
export type Method = 'GET' | 'POST';

export interface Route {
  readonly path: string;
  readonly methods: readonly Method[];
  readonly handler: HandlerName;
  /** Also every path below `path` (API Gateway: `path/{proxy+}`). */
  readonly prefix?: boolean;
}

export const routes: readonly Route[] = [
  { path: '/', methods: ['GET'], handler: 'pages' },
  { path: '/healthz', methods: ['GET'], handler: 'health' },
  { path: '/signup', methods: ['POST'], handler: 'signup' },
  { path: '/verify', methods: ['GET', 'POST'], handler: 'verify' },
  { path: '/contractors', methods: ['GET'], handler: 'pages' },
  { path: '/sponsorships', methods: ['POST'], handler: 'sponsorships' },
  { path: '/sponsorships/review', methods: ['GET'], handler: 'review' },
  { path: '/sponsorships/decision', methods: ['POST'], handler: 'decision' },
  { path: '/assets', methods: ['GET'], handler: 'assets', prefix: true },
];

export const fallbackHandler: HandlerName = 'fallback';

export function findRoute(path: string): Route | undefined {
  return routes.find((route) => route.path === path || (route.prefix === true && path.startsWith(`${route.path}/`)));
}

/** The route's path as API Gateway spells it. */
export function apiGatewayPath(route: Route): string {
  return route.prefix ? `${route.path}/{proxy+}` : route.path;
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
