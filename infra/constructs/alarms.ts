import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MetricName } from '../../functions/core/metric-names';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/service/observability';

export interface AlarmsProps {
  readonly topic: ITopic;
  readonly functions: readonly IFunction[];
  readonly api: HttpApi;
  readonly stageName: string;
  readonly deadLetterQueue: IQueue;
  /** Where the SES reputation alarms also publish: the breaker function opens the breaker. */
  readonly reputationTopic: ITopic;
}

const FIVE_MINUTES = Duration.minutes(5);

/** One of the service's own counters, summed over five minutes, as the functions emit it (EMF, Powertools). */
export function serviceMetric(name: MetricName): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: 'Sum',
    period: FIVE_MINUTES,
  });
}

/**
 * What wakes the operator: function errors and throttles, API 5xx, SES reputation (AWS reviews
 * an account at a 5 % bounce or 0.1 % complaint rate, and may pause it at 10 % / 0.5 %),
 * permanent send failures, and anything in the feedback dead-letter queue.
 */
export class Alarms extends Construct {
  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const alarm = (name: string, metric: IMetric, threshold: number, description: string, ...extra: ITopic[]) => {
      const created = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action, ...extra.map((topic) => new SnsAction(topic)));
    };

    for (const fn of props.functions) {
      const name = fn.node.id;
      alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES }), 1, `${name} failed with an unhandled error`);
      alarm(`${name}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES }), 1, `${name} was throttled`);
    }
    alarm(
      'Api5xx',
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensionsMap: { ApiId: props.api.apiId, Stage: props.stageName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      1,
      'The API answered 5xx',
    );
    alarm(
      'SesBounceRate',
      new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.hours(1) }),
      0.05,
      'SES bounce rate at 5 % (AWS reviews the account; it may pause sending at 10 %): the reputation breaker holds anonymous mail',
      props.reputationTopic,
    );
    alarm(
      'SesComplaintRate',
      new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.hours(1) }),
      0.001,
      'SES complaint rate at 0.1 % (AWS reviews the account; it may pause sending at 0.5 %): the reputation breaker holds anonymous mail',
      props.reputationTopic,
    );
    alarm(
      'EmailsFailedPermanently',
      serviceMetric('EmailsFailedPermanently'),
      1,
      'SES refused a message permanently (rejected, sending paused, identity not verified)',
    );
    alarm(
      'DependencyUnavailable',
      serviceMetric('DependencyUnavailable'),
      5,
      'Requests answered 503: DynamoDB (or another dependency) is unreachable, failing or throttling — an outage, not a defect',
    );
    alarm(
      'InternalErrors',
      serviceMetric('InternalErrors'),
      1,
      'A request ended in a 500: a defect to fix (the log line "unhandled error" has the cause)',
    );
    alarm(
      'DeliveriesFailed',
      serviceMetric('DeliveriesFailed'),
      1,
      'An email or webhook event ran out of attempts (or was refused for good) and is kept as failed in its account: see the README, "Deliveries"',
    );
    alarm(
      'EmailsHeldByBreaker',
      serviceMetric('EmailsHeldByBreaker'),
      1,
      'The reputation breaker is open and holds anonymous mail: find the cause of the bounces or complaints, then close it (README, "The reputation breaker")',
    );
    alarm(
      'EmailBudgetExhausted',
      serviceMetric('EmailBudgetExhausted'),
      1,
      'Anonymous requests spent a service-wide email budget (all per hour, or new addresses per domain): someone may be trying to make the service bounce',
    );
    alarm(
      'RegistryLoadsRefused',
      serviceMetric('RegistryLoadsRefused'),
      1,
      'A .gov registry file was refused (a needed column missing, or it shrank past 90 % of the last good load): the last good data stays; see the function log',
    );
    alarm(
      'AccountsSuspended',
      serviceMetric('AccountsSuspended'),
      1,
      'The service suspended accounts: their domain left the .gov registry, or their mailbox bounced permanently (npm run admin -- list --status suspended)',
    );
    alarm(
      'SponsorMailboxesGone',
      serviceMetric('SponsorMailboxesGone'),
      1,
      'A sponsor’s mailbox bounced permanently: their contractors keep access and were told; nobody can renew it until another sponsor takes them on (the feedback function’s log names the sponsor, masked)',
    );
    // Every run of three periods in a row (15 minutes, three runs at the default schedule) left due work.
    new Alarm(this, 'SweepBacklog', {
      metric: serviceMetric('SweepBacklog').with({ statistic: 'Minimum' }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'The sweep keeps ending with due work left (expiries, reminders, retries, webhook events): each run stops before its deadline and the next continues; see the sweep function log',
    }).addAlarmAction(action);
    alarm(
      'FeedbackDeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'A bounce or complaint notification could not be processed: addresses may not be suppressed',
    );
  }
}
