export { LocalService, type SentEmail } from '../../infra/harness/local-service';

/** Response headers minus those that differ on every response by nature. */
export function stableHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'keep-alive' && name !== 'connection') headers[name] = value;
  });
  return headers;
}
