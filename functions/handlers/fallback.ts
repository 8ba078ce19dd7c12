import { MethodNotAllowedError, NotFoundError } from '../core/errors';
import { asksForJsonOnly, responseFormat } from '../http/body';
import { errorResult } from '../http/respond';
import type { HttpEvent, HttpResult } from '../http/types';
import { allowedMethods, findRoute } from '../service/routes';

/**
 * Everything the route table does not name: 404, or 405 with `Allow` when the path exists but
 * not for this method (API Gateway sends those here through its `$default` route). JSON to a
 * client that asks for it (`Accept: application/json`), else as a POST's body asks; a page to a browser.
 */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const method = event.requestContext.http.method.toUpperCase();
  const route = findRoute(event.rawPath);
  // A browser's GET gets the HTML page; a client that asks for JSON only gets the JSON error.
  const format = method === 'GET' || method === 'HEAD' ? (asksForJsonOnly(event) ? 'json' : 'html') : responseFormat(event);
  const error = route
    ? new MethodNotAllowedError(`This address does not answer ${method}.`, allowedMethods(route))
    : new NotFoundError('There is no page at this address. Check the link, or start from the sign-up page.');
  const result = errorResult(error, format);
  return method === 'HEAD' ? { ...result, body: '' } : result;
}
