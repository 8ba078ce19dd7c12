import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

let service: LocalService;

beforeAll(async () => {
  // Metrics are off by default on a laptop; on here, so the EMF lines can be read.
  service = await LocalService.start({ POWERTOOLS_METRICS_DISABLED: 'false' });
});
afterAll(async () => {
  await service.dispose();
});

type Line = Record<string, unknown>;

/** The service's JSON output lines written since `from`. */
function jsonLines(from: number): Line[] {
  return service.output.slice(from).flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? [parsed as Line] : [];
    } catch {
      return [];
    }
  });
}

async function signUpLogged(email: string): Promise<Line> {
  const from = service.output.length;
  expect((await service.postJson('/signup', { email })).status).toBe(202);
  await expect.poll(() => jsonLines(from).some((line) => line.message === 'email sent')).toBe(true);
  return jsonLines(from).find((line) => line.message === 'email sent')!;
}

describe('Lambda context in every log line', () => {
  it('names the function, the request and whether the container was cold; counts the cold start once', async () => {
    const from = service.output.length;

    const first = await signUpLogged('first@agency.gov');
    const second = await signUpLogged('second@agency.gov');

    expect(first).toMatchObject({ function_name: 'sandbox-gatekeeper-signup', cold_start: true, service: 'sandbox-gatekeeper' });
    expect(second).toMatchObject({ function_name: 'sandbox-gatekeeper-signup', cold_start: false });
    expect(first.function_request_id).toEqual(expect.any(String));
    expect(first.function_request_id).not.toBe(second.function_request_id);
    expect(first.correlation_id).toBe(first.function_request_id);
    const coldStarts = jsonLines(from).filter((line) => 'ColdStart' in line);
    expect(coldStarts).toEqual([expect.objectContaining({ ColdStart: 1, function_name: 'sandbox-gatekeeper-signup' })]);
  });
});
