import type { Context } from 'aws-lambda';
import { AppError, EdgeRequiredError, MachineOnlyError, MethodNotAllowedError, ServiceUnavailableError } from '../core/errors';
import type { Log, Metrics } from '../core/ports';
import { describeError } from '../core/redact';
import { withDeadline } from '../service/deadline';
import { allowedMethods, findRoute, type HandlerName, type Method, type MethodsOf, methodsOf } from '../service/routes';
import { errorPage } from '../views/error-page';
import { responseFormat } from './body';
import { arrivalOf } from './edge';
import { checkOrigin, corsHeaders, type OriginVerdict, ownOrigins, preflightHeaders } from './origin';
import { empty, errorResult, html, internalErrorMessage, json } from './respond';
import type { Format, HttpEvent, HttpResult, LambdaHandler } from './types';

export interface RequestContext {
  readonly event: HttpEvent;
  readonly format: Format;
  /**
   * The peer address API Gateway saw (locally: the socket's peer), or behind the edge the viewer
   * address CloudFront reports on a request that carries the edge secret; never X-Forwarded-For.
   */
  readonly clientIp: string;
  /** Where links and redirects point: BASE_URL, else the API's own domain from the request context. */
  readonly baseUrl: string;
  /** Where a POST came from: our own pages, no browser, or an allowed other site. */
  readonly origin: OriginVerdict;
  /** Registers what to give back if the request ends in an outage (a client's counted hit): it costs them nothing. */
  readonly onOutage: (undo: () => Promise<void>) => void;
}

export type Action = (context: RequestContext) => Promise<HttpResult>;

/** One action per method the route table lists for the handler: no more, no fewer. */
export type ActionsFor<H extends HandlerName> = { readonly [M in MethodsOf<H>]: Action };

export interface HttpOptions {
  readonly baseUrl?: string;
  readonly allowedOrigins: readonly string[];
  readonly log: Log;
  /** Counts outages (503) apart from defects (500), so an alarm can tell them apart. */
  readonly metrics?: Metrics;
  /**
   * When CloudFront fronts the API: the secret it adds to each origin request (read once, kept);
   * a request without it is refused.
   */
  readonly edgeSecret?: () => Promise<string>;
  /**
   * Machine routes (`/v1/…`): the caller is the sandbox, proven by API Gateway's IAM authorization
   * (SigV4) instead of the edge; JSON only, no origin check and no CORS (never for browsers).
   */
  readonly machine?: boolean;
  /** Runs each request (its log context, correlation id, the work it causes, its metrics at the end). */
  readonly observe?: <T>(event: HttpEvent, context: Context | undefined, run: () => Promise<T>) => Promise<T>;
}

/**
 * The primary adapter shared by every handler: method dispatch (HEAD as GET without a body,
 * OPTIONS as CORS preflight, 405 otherwise), the origin check before anything else on POST,
 * and the mapping of every thrown error to an answer — a 500 never carries internals.
 */
export function httpHandler<H extends HandlerName>(name: H, actionsFor: ActionsFor<H>, options: HttpOptions): LambdaHandler {
  const methods = methodsOf(name);
  const actions = actionsFor as Partial<Record<Method, Action>>;
  const missing = methods.filter((method) => !actions[method]);
  if (missing.length) throw new Error(`handler "${name}" has no action for ${missing.join(', ')}, which the route table lists`);
  return async (event, context) => {
    const run = () => withDeadline(context, () => answer(event));
    return options.observe ? options.observe(event, context, run) : run();
  };

  async function answer(event: HttpEvent): Promise<HttpResult> {
    const method = event.requestContext.http.method.toUpperCase();
    // A handler that serves several paths answers on each only the methods the route table gives that path.
    const route = findRoute(event.rawPath);
    const here: readonly Method[] = route?.handler === name ? route.methods : methods;
    const allow = allowedMethods({ methods: here });
    const baseUrl = options.baseUrl ?? `https://${event.requestContext.domainName}`;
    const format: Format = options.machine ? 'json' : method === 'GET' || method === 'HEAD' ? 'html' : responseFormat(event);
    let verdict: OriginVerdict = { kind: 'none' };
    const undo: (() => Promise<void>)[] = [];
    try {
      // Machine routes never come through CloudFront: the sandbox signs and calls the API itself.
      const arrival = arrivalOf(event, options.edgeSecret && !options.machine ? await options.edgeSecret() : undefined);
      if (options.machine) {
        if (!signedCaller(event)) throw new MachineOnlyError('This address is for the sandbox: sign the request with AWS SigV4.');
      } else if (options.edgeSecret !== undefined && arrival.via === 'direct') {
        throw new EdgeRequiredError('This service answers only through its public address.');
      }
      const policy = { own: ownOrigins(baseUrl), allowed: options.allowedOrigins };
      if (method === 'OPTIONS' && here.includes('POST') && !options.machine) {
        return empty(204, preflightHeaders(checkOrigin(event, policy), ['POST']));
      }
      const listed = here.find((known) => known === (method === 'HEAD' ? 'GET' : method));
      const action = listed ? actions[listed] : undefined;
      if (!action) throw new MethodNotAllowedError(`This address does not answer ${method}.`, allow);
      if (method === 'POST' && !options.machine) verdict = checkOrigin(event, policy);
      const result = await action({ event, format, clientIp: arrival.clientIp, baseUrl, origin: verdict, onOutage: (fn) => undo.push(fn) });
      return finish(method, result, verdict);
    } catch (error) {
      if (error instanceof AppError) {
        if (error.code === 'forbidden_origin') options.log.warn('security: cross-site request refused', { path: event.rawPath });
        if (error.code === 'edge_required') options.log.warn('security: request bypassed the edge', { path: event.rawPath });
        if (error instanceof ServiceUnavailableError) {
          options.log.error('dependency unavailable', { path: event.rawPath, error: error.failure });
          options.metrics?.count('DependencyUnavailable');
          // Best effort: with the dependency down, giving back may fail too; then the hit simply stands.
          await Promise.allSettled(undo.map((fn) => fn()));
        }
        return finish(method, errorResult(error, format), verdict);
      }
      options.log.error('unhandled error', { path: event.rawPath, error: describeError(error) });
      options.metrics?.count('InternalErrors');
      const fallback =
        format === 'html'
          ? html(500, errorPage({ code: 'internal_error', message: internalErrorMessage }))
          : json(500, { error: 'internal_error', message: internalErrorMessage });
      return finish(method, fallback, verdict);
    }
  }
}

/** The caller API Gateway's IAM authorization proved (the local server proves it the same way). */
function signedCaller(event: HttpEvent): string | undefined {
  const context = event.requestContext as { authorizer?: { iam?: { userArn?: string } } };
  return context.authorizer?.iam?.userArn;
}

function finish(method: string, result: HttpResult, verdict: OriginVerdict): HttpResult {
  const headers = { ...result.headers, ...corsHeaders(verdict) };
  return method === 'HEAD' ? { ...result, headers, body: '' } : { ...result, headers };
}
