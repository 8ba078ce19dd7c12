import { httpApiEvent } from '../http-api-event';
import type { DeployedFunction, StackModel } from './stack-model';

/** What a request to the API is, as API Gateway sees it: the route, its function, its invoke ARN and the event. */
export interface ApiRequest {
  readonly routeKey: string;
  readonly fn: DeployedFunction;
  readonly routeArn: string;
  /** API Gateway authorizes the route with IAM (SigV4) before the function runs. */
  readonly iam: boolean;
  readonly event: ReturnType<typeof httpApiEvent>;
}

/** The template's route for a path: an exact path, a `{proxy+}` route strictly below its prefix, else `$default`. */
export function routeKeyFor(model: StackModel, path: string): string {
  for (const key of model.routes.keys()) {
    const routePath = key.split(' ')[1];
    if (!routePath) continue;
    if (routePath.endsWith('/{proxy+}')) {
      const prefix = routePath.slice(0, -'{proxy+}'.length);
      if (path.startsWith(prefix) && path.length > prefix.length) return key;
    } else if (routePath === path) return key;
  }
  return '$default';
}

/** An HTTP request as API Gateway (HTTP API, payload 2.0) routes it by the template's routes and passes it on. */
export function apiRequest(
  model: StackModel,
  where: { region: string; account: string; now: Date },
  method: string,
  target: string,
  options: { json?: unknown; headers?: Record<string, string>; cookies?: readonly string[] },
): ApiRequest {
  const url = new URL(target, `https://${model.apiDomain}`);
  const routeKey = routeKeyFor(model, url.pathname);
  const apiId = model.apiDomain.split('.')[0]!;
  const routePath = routeKey === '$default' ? '/$default' : routeKey.split(' ')[1];
  const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  const event = httpApiEvent({
    method,
    pathname: url.pathname,
    search: url.search,
    headers: {
      host: model.apiDomain,
      'user-agent': 'rehearsal',
      ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
      accept: 'application/json',
      ...options.headers,
    },
    ...(body ? { body } : {}),
    ...(options.cookies?.length ? { cookies: options.cookies } : {}),
    routeKey,
    sourceIp: '198.51.100.7',
    protocol: 'HTTP/1.1',
    domainName: model.apiDomain,
    domainPrefix: apiId,
    accountId: where.account,
    apiId,
    now: where.now,
  });
  return {
    routeKey,
    fn: model.routes.get(routeKey)!,
    routeArn: `arn:aws:execute-api:${where.region}:${where.account}:${apiId}/$default/${method}${routePath}`,
    iam: model.iamRoutes.has(routeKey),
    event,
  };
}
