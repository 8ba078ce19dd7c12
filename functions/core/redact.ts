/**
 * Error texts from dependencies can quote what they were given (SES's MessageRejected names the
 * failing address). Before such a text reaches a log line, mask every address and anything
 * shaped like a link token or a JWT.
 */
const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+)/g;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const TOKEN = /[A-Za-z0-9_-]{40,}/g;

export function redact(text: string): string {
  return text
    .replace(JWT, '[jwt]')
    .replace(ADDRESS, (match, domain: string) => `${match[0]}***@${domain}`)
    .replace(TOKEN, '[token]');
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return redact(text);
}
