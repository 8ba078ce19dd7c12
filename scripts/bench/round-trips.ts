import { describeWave, RecordingProxy, sequentialRoundTrips, waves } from '../../infra/harness/dynamodb-recorder';
import { LocalService } from '../../infra/harness/local-service';

/**
 * The sequential round trips to DynamoDB of one request of each flow a person waits on, counted on
 * the wire as the tests count them (infra/harness/dynamodb-recorder.ts): `npm start` with DynamoDB
 * behind a recording proxy; calls that overlap are one round trip. By name: how many, and what
 * each wave of overlapping calls held.
 */
export async function measureRoundTrips(env: Record<string, string>): Promise<Map<string, { count: number; waves: string[] }>> {
  const host = await LocalService.start();
  const proxy = await RecordingProxy.start(host.dynamodbEndpoint);
  const service = await LocalService.start({
    ...env,
    DYNAMODB_ENDPOINT: proxy.endpoint,
    SES_ENDPOINT: host.mailboxUrl,
    // Nothing else on the table while a request is recorded.
    SWEEP_INTERVAL_SECONDS: '3600',
  });
  const post = async (path: string, body: Record<string, string>) => {
    const { calls } = await proxy.during(async () => {
      const response = await service.postJson(path, body);
      if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    });
    return { count: sequentialRoundTrips(calls), waves: waves(calls).map(describeWave) };
  };
  try {
    // The first request of a process warms what is read once.
    await post('/signup', { email: 'rt.first@agency.gov' });
    const signUp = await post('/signup', { email: 'rt.new@agency.gov' });
    const contractor = await post('/sponsorships', {
      email: 'rt.casey@acme-corp.com',
      name: 'Casey Contractor',
      company: 'Acme',
      sponsorEmail: 'rt.sponsor@agency.gov',
      justification: 'Integration testing.',
    });
    const confirmation = await post('/verify', { token: await host.latestToken('rt.new@agency.gov') });
    return new Map([
      ['sign-up (new address)', signUp],
      ['contractor request', contractor],
      ['verification', confirmation],
    ]);
  } finally {
    await service.dispose();
    await proxy.close();
    await host.dispose();
  }
}
