import { describe, expect, expectTypeOf, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode } from '../../functions/core/errors';
import { statusOf } from '../../functions/http/respond';
import { errorPage } from '../../functions/views/error-page';

/** An error of any code, as the domain would throw it. */
class AnyError extends AppError {
  constructor(readonly code: ErrorCode) {
    super(`an error with code ${code}`);
  }
}

describe('error codes', () => {
  it('an error with a code outside the union does not compile', () => {
    class Unknown extends AppError {
      // @ts-expect-error: 'teapot' is not an ErrorCode, so the status table could not map it.
      readonly code = 'teapot';
    }
    expectTypeOf<Unknown['code']>().not.toEqualTypeOf<ErrorCode>();
  });

  it('service_unavailable, the one code no client causes, is 503', () => {
    expect(statusOf(new AnyError('service_unavailable'))).toBe(503);
  });

  it.each(ERROR_CODES.filter((code) => code !== 'service_unavailable'))(
    '%s maps to a client-error status (never a 5xx for what a client sends)',
    (code) => {
      const status = statusOf(new AnyError(code));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    },
  );

  it.each(ERROR_CODES)('%s has an error page with its own title', (code) => {
    expect(errorPage({ code, message: 'Something to act on.' })).toMatch(/<h1>[^<]+<\/h1>/);
  });

  it('an error page for a code outside the union does not compile', () => {
    // @ts-expect-error: every page title is typed over the codes; an unknown one has none…
    const page = errorPage({ code: 'teapot', message: 'x' });
    // …which is what the type check prevents: a page without a title.
    expect(page).toContain('<h1></h1>');
  });
});
