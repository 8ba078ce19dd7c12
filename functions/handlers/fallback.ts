import { MethodNotAllowedError, NotFoundError } from '../core/errors';
import { responseFormat } from '../http/body';
import { errorResult } from '../http/respond';
import type { HttpEvent, HttpResult } from '../http/types';
import { allowedMethods, findRoute } from '../service/routes';

/**
 * Everything the route table does not name: 404, or 405 with `Allow` when the path exists but
 * not for this method (API Gateway sends those here through its `$default` route).
 */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const method = event.requestContext.http.method.toUpperCase();
  const route = findRoute(event.rawPath);
  const format = method === 'GET' || method === 'HEAD' ? 'html' : responseFormat(event);
  const error = route
    ? new MethodNotAllowedError(`This address does not answer ${method}.`, allowedMethods(route))
    : new NotFoundError('There is no page at this address. Check the link, or start from the sign-up page.');
  const result = errorResult(error, format);
  return method === 'HEAD' ? { ...result, body: '' } : result;
}
