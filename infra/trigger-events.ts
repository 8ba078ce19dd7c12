import { randomUUID } from 'node:crypto';

/** The events AWS services invoke the stack's functions with, as those services shape them. */

/** EventBridge's event for a schedule rule firing at `now`. */
export function scheduledEvent(ruleArn: string, account: string, region: string, now: Date) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [ruleArn],
    detail: {},
  };
}

/** SNS's delivery of one message to a subscribed function. */
export function snsEvent(topicArn: string, message: string, now: Date) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: null,
          Message: message,
          Timestamp: now.toISOString(),
          SignatureVersion: '1',
          Signature: 'rehearsal',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/rehearsal.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** CloudWatch's notification of an alarm entering ALARM. */
export function alarmNotification(alarm: { name: string; arn: string }, account: string, region: string, now: Date) {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    NewStateValue: 'ALARM',
    OldStateValue: 'OK',
    NewStateReason: 'Rehearsal',
    StateChangeTime: now.toISOString(),
    Region: region,
    AWSAccountId: account,
  };
}

/** CloudFormation's Create request to a custom resource's function, answered at `responseUrl`. */
export function customResourceCreate(
  resource: { logicalId: string; type: string; serviceTokenArn: string; properties: Record<string, unknown> },
  stackId: string,
  responseUrl: string,
) {
  return {
    RequestType: 'Create',
    ServiceToken: resource.serviceTokenArn,
    ResponseURL: responseUrl,
    StackId: stackId,
    RequestId: randomUUID(),
    LogicalResourceId: resource.logicalId,
    ResourceType: resource.type,
    ResourceProperties: resource.properties,
  };
}
