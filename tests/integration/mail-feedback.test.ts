import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

let service: LocalService;
let feedback: (event: SNSEvent) => Promise<void>;
let breaker: (event: SNSEvent) => Promise<void>;

beforeAll(async () => {
  service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0', POWERTOOLS_METRICS_DISABLED: 'false' });
  // The feedback function as Lambda runs it, configured like the service, on the same table.
  Object.assign(process.env, {
    TABLE_NAME: 'sandbox-gatekeeper',
    MAIL_FROM: 'no-reply@sandbox.localhost',
    DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.BASE_URL; // vitest sets it to '/' for Vite; the function must not see that
  ({ handler: feedback } = await import('../../functions/handlers/feedback'));
  ({ handler: breaker } = await import('../../functions/handlers/breaker'));
});
afterAll(async () => {
  await service.dispose();
});

/** An SNS delivery of an SES event, shaped as SES publishes it for a configuration set. */
function sns(message: unknown, messageId = `m-${Math.random()}`): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:111122223333:MailFeedback:sub',
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: 'arn:aws:sns:us-east-1:111122223333:MailFeedback',
          Subject: 'Amazon SES Email Event Notification',
          Message: JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'x',
          SigningCertUrl: 'https://example.invalid/cert.pem',
          UnsubscribeUrl: 'https://example.invalid/unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

const bounce = (address: string, bounceType = 'Permanent') => ({
  eventType: 'Bounce',
  bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: address }], timestamp: new Date().toISOString() },
  mail: { destination: [address], messageId: 'ses-1', source: 'no-reply@sandbox.localhost' },
});

async function suppression(address: string) {
  const { Item } = await service
    .documentClient()
    .send(
      new GetCommand({ TableName: 'sandbox-gatekeeper', Key: { pk: `SUPPRESSED#${address}`, sk: 'SUPPRESSED' }, ConsistentRead: true }),
    );
  return Item;
}

describe('bounces and complaints', () => {
  it('a permanent bounce suppresses the address: the next sign-up answers 202 and sends nothing', async () => {
    await service.postJson('/signup', { email: 'gone@agency.gov' });
    expect(await service.emailsTo('gone@agency.gov')).toHaveLength(1);

    await feedback(sns(bounce('Gone@Agency.gov')));
    expect(await suppression('gone@agency.gov')).toMatchObject({ reason: 'bounce' });

    const again = await service.postJson('/signup', { email: 'gone@agency.gov' });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ status: 'verification_sent', email: 'gone@agency.gov' });
    expect(await service.emailsTo('gone@agency.gov')).toHaveLength(1);
  });

  it('a duplicate delivery of the same notification is harmless', async () => {
    const event = sns(bounce('twice@agency.gov'), 'same-message-id');
    await feedback(event);
    const first = await suppression('twice@agency.gov');
    await feedback(event);
    expect(await suppression('twice@agency.gov')).toEqual(first);
  });

  it('a complaint suppresses too, also for a sponsor: the contractor still gets 202 and the sponsor nothing', async () => {
    await feedback(sns({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'annoyed.sponsor@agency.gov' }] } }));
    const body = {
      email: 'hopeful@acme-corp.com',
      name: 'Hopeful',
      company: 'Acme',
      sponsorEmail: 'annoyed.sponsor@agency.gov',
      justification: 'Integration work',
    };
    expect((await service.postJson('/sponsorships', body)).status).toBe(202);
    const confirm = await service.postJson('/verify', { token: await service.latestToken('hopeful@acme-corp.com') });
    expect(await confirm.json()).toEqual({ status: 'awaiting_sponsor' });
    expect(await service.emailsTo('annoyed.sponsor@agency.gov')).toHaveLength(0);
  });

  it('a transient bounce, a delivery and garbage change nothing', async () => {
    await feedback(sns(bounce('mailbox.full@agency.gov', 'Transient')));
    await feedback(sns({ eventType: 'Delivery', delivery: { recipients: ['ok@agency.gov'] } }));
    await feedback({ Records: [{ ...sns({}).Records[0]!, Sns: { ...sns({}).Records[0]!.Sns, Message: 'not json' } }] });
    expect(await suppression('mailbox.full@agency.gov')).toBeUndefined();
    expect(await suppression('ok@agency.gov')).toBeUndefined();
  });

  it('counts what happens as CloudWatch metrics (EMF) and logs suppressed sends', async () => {
    const emf = service.output.filter((line) => line.includes('"_aws"'));
    const names = emf.flatMap((line) =>
      (JSON.parse(line) as { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } })._aws.CloudWatchMetrics[0]!.Metrics.map(
        (m) => m.Name,
      ),
    );
    expect(names).toEqual(
      expect.arrayContaining(['SignupsAccepted', 'EmailsSent', 'EmailsSuppressed', 'SponsorshipRequests', 'Verifications']),
    );
    expect(service.output.join('\n')).toContain('email suppressed');
  });
});

describe('the breaker function, as Lambda runs it, and the service', () => {
  it('a reputation alarm entering ALARM holds the next anonymous email; closing the breaker lets mail go again', async () => {
    const alarm = { AlarmName: 'SandboxGatekeeper-SesBounceRate', NewStateValue: 'ALARM', OldStateValue: 'OK' };
    await breaker(sns(alarm));
    await breaker(sns(alarm));

    expect((await service.postJson('/signup', { email: 'while-open@agency.gov' })).status).toBe(202);
    expect(await service.emailsTo('while-open@agency.gov')).toEqual([]);

    await service
      .documentClient()
      .send(new DeleteCommand({ TableName: 'sandbox-gatekeeper', Key: { pk: 'BREAKER#reputation', sk: 'BREAKER' } }));
    expect((await service.postJson('/signup', { email: 'while-open@agency.gov' })).status).toBe(202);
    expect(await service.emailsTo('while-open@agency.gov')).toHaveLength(1);
  });
});
