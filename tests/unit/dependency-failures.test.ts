import { describe, expect, it } from 'vitest';
import { isDependencyFailure } from '../../functions/adapters/dependency-failures';
import { ServiceUnavailableError } from '../../functions/core/errors';
import { httpHandler } from '../../functions/http/http-handler';
import { jsonEvent } from '../support/events';
import { RecordingLog } from '../support/fakes';

const serviceError = (name: string, fault: 'client' | 'server', status: number) =>
  Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });

describe('isDependencyFailure', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['a server fault', serviceError('InternalServerError', 'server', 500)],
    ['throttling after the SDK’s retries', serviceError('ProvisionedThroughputExceededException', 'client', 400)],
  ])('%s is the dependency’s failure', (_label, error) => {
    expect(isDependencyFailure(error)).toBe(true);
  });

  it.each([
    ['a failed condition', serviceError('ConditionalCheckFailedException', 'client', 400)],
    ['a validation fault (a bug: an item too large)', serviceError('ValidationException', 'client', 400)],
    ['a programming error', new TypeError('undefined is not a function')],
  ])('%s is not', (_label, error) => {
    expect(isDependencyFailure(error)).toBe(false);
  });
});

describe('a dependency failure over HTTP', () => {
  it('answers 503 service_unavailable with Retry-After, logs the cause, and carries no internals', async () => {
    const log = new RecordingLog();
    const secret = 'connect ECONNREFUSED 10.0.0.7:8000 (table sandbox-gatekeeper)';
    const handler = httpHandler(
      'signup',
      {
        POST: async () => {
          throw new ServiceUnavailableError('The service is briefly unavailable.', 5, `DynamoDB: ${secret}`);
        },
      },
      { allowedOrigins: [], log },
    );

    const result = await handler(jsonEvent({ email: 'a@agency.gov' }, { path: '/signup' }));

    expect([result.statusCode, result.headers['Retry-After']]).toEqual([503, '5']);
    expect(JSON.parse(String(result.body))).toEqual({ error: 'service_unavailable', message: 'The service is briefly unavailable.' });
    expect(log.at('error').map((entry) => entry.message)).toEqual(['dependency unavailable']);
    expect(String(result.body)).not.toContain('10.0.0.7');
  });
});
