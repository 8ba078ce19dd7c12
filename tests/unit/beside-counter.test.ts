import { describe, expect, it } from 'vitest';
import { InvalidEmailError, RateLimitedError } from '../../functions/core/errors';
import { besideCounter } from '../../functions/use-cases/limit-client';

/** A promise settled by the test, when it chooses. */
function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('work beside the client counter', () => {
  it('a refusal of the request that comes first still waits for the counter, whose 429 is the answer', async () => {
    const counter = later<void>();
    const answer = besideCounter(counter.promise, Promise.reject(new InvalidEmailError('Enter an email address.')));
    let settled = false;
    answer.catch(() => {}).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    counter.reject(new RateLimitedError('Too many requests.', 60));
    await expect(answer).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('the counter allowing: the work’s own refusal, or its answer', async () => {
    await expect(besideCounter(Promise.resolve(), Promise.reject(new InvalidEmailError('Enter an email address.')))).rejects.toBeInstanceOf(
      InvalidEmailError,
    );
    await expect(besideCounter(Promise.resolve(), Promise.resolve(202))).resolves.toBe(202);
    await expect(besideCounter(undefined, Promise.resolve(202))).resolves.toBe(202);
  });
});
