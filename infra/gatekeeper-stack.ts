import { ArnFormat, CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigurationSet, EmailSendingEvent, EventDestination, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { HandlerName } from '../functions/service/routes';
import { indexDefinitions, table as tableDefinition } from '../functions/service/table';
import { Alarms } from './constructs/alarms';
import { GatekeeperFunction, type GatekeeperFunctionProps } from './constructs/gatekeeper-function';
import { edgeIn } from './edge';
import { baseUrlOf, functionEnvironment, operatorEnvironment, validateEnvironment } from './function-environment';
import { eventHandlers, type HandlerSpec, handlers } from './function-specs';
import type { GatekeeperSettings } from './gatekeeper-settings';
import { httpApiIn } from './http-api';
import { oidcClientKeyIn } from './oidc-client-key';
import { operatorAccessIn } from './operator-access';
import { registrySnapshot } from './registry-snapshot';
import { sandboxAccessIn } from './sandbox-access';
import { signingKeysIn } from './signing-keys';
import { addressOutputsIn } from './stack-outputs';
import { webhookSecretIn } from './webhook-secret';

export type { GatekeeperSettings } from './gatekeeper-settings';

export interface GatekeeperStackProps extends StackProps {
  readonly settings: GatekeeperSettings;
}

export class GatekeeperStack extends Stack {
  constructor(scope: Construct, id: string, props: GatekeeperStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const logRetention = settings.logRetention ?? RetentionDays.THREE_MONTHS;

    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [indexName, index] of indexDefinitions()) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        ...(index.sortKey
          ? { sortKey: { name: index.sortKey, type: index.sortKeyType === 'N' ? AttributeType.NUMBER : AttributeType.STRING } }
          : {}),
        projectionType: ProjectionType.ALL,
      });
    }

    const signingKeys = signingKeysIn(this);

    // Topics are encrypted with a key that SES (feedback) and CloudWatch (alarms) may use, each
    // only on behalf of this account's configuration set or alarms (no confused deputy).
    const topicKey = new Key(this, 'TopicKey', { description: 'Sandbox Gatekeeper SNS topics', enableKeyRotation: true });

    const feedbackTopic = new Topic(this, 'MailFeedback', {
      displayName: 'SES bounces and complaints',
      masterKey: topicKey,
      enforceSSL: true,
    });
    // SES's own suppression, beside ours: an address that bounced or complained anywhere in SES is not sent to.
    const configurationSet = new ConfigurationSet(this, 'MailConfiguration', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const serviceUse = (service: string, sourceArn: string) =>
      topicKey.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account }, ArnLike: { 'aws:SourceArn': sourceArn } },
        }),
      );
    const configurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
    });
    serviceUse('ses.amazonaws.com', configurationSetArn);
    const alarmsOfThisAccount = this.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    serviceUse('cloudwatch.amazonaws.com', alarmsOfThisAccount);
    // A topic an alarm acts on. Its access policy (made for enforceSSL) replaces SNS's default one,
    // which let the account's principals publish: CloudWatch must be named, or every alarm's
    // notification is refused (the deploy rehearsal sees it refused without this).
    const alarmActionTopic = (id: string, displayName: string) => {
      const topic = new Topic(this, id, { displayName, masterKey: topicKey, enforceSSL: true });
      topic.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account }, ArnLike: { 'aws:SourceArn': alarmsOfThisAccount } },
        }),
      );
      return topic;
    };
    const mail = {
      identityArn: this.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.sesIdentity }),
      configurationSetArn,
      configurationSetName: configurationSet.configurationSetName,
      from: settings.mailFrom,
    };

    // Behind the edge, the HTTP functions refuse what did not come through it.
    const edge = settings.edge
      ? edgeIn(this, {
          originDomainName: settings.domainName!,
          domainName: settings.edge.domainName,
          certificateArn: settings.edge.certificateArn,
          requestsPerFiveMinutes: settings.edge.requestsPerFiveMinutes,
          logRetention,
        })
      : undefined;

    // The webhook signing secret (whsec_…, put by a custom step), readable only by the functions that send events.
    const webhookSecret = settings.webhookUrl ? webhookSecretIn(this, { logRetention }) : undefined;

    // The OIDC client's private key (a JWK the operator puts after registering its public half with the provider).
    const oidcClientKey = settings.oidcIssuer ? oidcClientKeyIn(this) : undefined;
    const environments = new Map<string, Record<string, string>>();
    const build = (name: string, spec: HandlerSpec, extra: Partial<GatekeeperFunctionProps> = {}, baseUrl?: string) => {
      // Every handler reads its config at start-up; access is granted only where it is used.
      const readsEdgeSecret = edge !== undefined && (spec.uses as readonly string[]).includes('edge-secret');
      const environment = functionEnvironment(settings, {
        tableName: table.tableName,
        ...(baseUrl ? { baseUrl } : {}),
        ...(readsEdgeSecret ? { edgeOriginSecretArn: edge.originSecret.secretArn } : {}),
        ...(spec.uses.includes('mail') ? { sesConfigurationSet: mail.configurationSetName } : {}),
        ...(spec.uses.includes('signing-keys') ? { signingKeysSecretArn: signingKeys.secret.secretArn } : {}),
        ...(webhookSecret && (spec.uses as readonly string[]).includes('webhook-secret')
          ? { webhookSecretArn: webhookSecret.secret.secretArn }
          : {}),
        ...(settings.registryUrl && (spec.uses as readonly string[]).includes('registry-snapshot')
          ? { registryUrl: settings.registryUrl }
          : {}),
        ...(oidcClientKey && (spec.uses as readonly string[]).includes('oidc-client-key')
          ? { oidc: { issuer: settings.oidcIssuer!, clientId: settings.oidcClientId!, privateKeySecretArn: oidcClientKey.secretArn } }
          : {}),
      });
      validateEnvironment(environment, settings);
      environments.set(name, environment);
      const fn = new GatekeeperFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
        spec,
        environment,
        logRetention,
        ...extra,
      });
      if ('table' in spec && spec.table) fn.grantTable(table, spec.table);
      if (spec.uses.includes('mail')) fn.grantMail(mail);
      if (spec.uses.includes('signing-keys')) signingKeys.grantRead(fn.role!);
      if (readsEdgeSecret) edge.grantRead(fn.role!);
      if (oidcClientKey && (spec.uses as readonly string[]).includes('oidc-client-key')) oidcClientKey.grantRead(fn.role!);
      if (webhookSecret && (spec.uses as readonly string[]).includes('webhook-secret')) {
        webhookSecret.grantRead(fn.role!);
        // Nothing reads the secret before the custom step has put its value.
        fn.node.addDependency(webhookSecret.value);
      }
      return fn;
    };
    const functions = new Map<HandlerName, GatekeeperFunction>();
    for (const name of Object.keys(handlers) as HandlerName[]) functions.set(name, build(name, handlers[name]));

    // Bounces and complaints: SNS → feedback function. What SNS cannot deliver, and what the
    // function fails on after its retries, lands in one dead-letter queue (alarmed).
    const feedbackDeadLetters = new Queue(this, 'FeedbackDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const feedback = build('feedback', eventHandlers.feedback, { deadLetterQueue: feedbackDeadLetters, retryAttempts: 2 });
    feedbackTopic.addSubscription(new LambdaSubscription(feedback, { deadLetterQueue: feedbackDeadLetters }));

    // SES reputation alarms → breaker function, which holds anonymous mail until an operator
    // closes the breaker. Its failures land in the same dead-letter queue.
    const reputationTopic = alarmActionTopic('ReputationAlarms', 'SES reputation alarms');
    const breaker = build('breaker', eventHandlers.breaker, { deadLetterQueue: feedbackDeadLetters, retryAttempts: 2 });
    reputationTopic.addSubscription(new LambdaSubscription(breaker, { deadLetterQueue: feedbackDeadLetters }));

    const { api, stage, domain } = httpApiIn(this, settings, functions, logRetention);

    // The lifecycle sweep, on a schedule. Its emails carry links, so it needs the public address
    // even where the HTTP functions take it from each request.
    const sweep = build('sweep', eventHandlers.sweep, { retryAttempts: 0 }, baseUrlOf(settings) ?? api.apiEndpoint);
    const sweepSchedule = new Rule(this, 'SweepSchedule', {
      description: 'Sandbox Gatekeeper: renewal reminders and expiries that are due',
      schedule: Schedule.rate(Duration.minutes(settings.sweepIntervalMinutes ?? 5)),
      // No retry: the next run, minutes later, takes up whatever this one left; failures are alarmed.
      targets: [new LambdaFunction(sweep, { retryAttempts: 0 })],
    });
    if (webhookSecret) sweepSchedule.node.addDependency(webhookSecret.value);

    // The .gov registry: loaded at deploy from the snapshot the function carries (a custom step,
    // re-run when the snapshot changes), so the table never starts without one; then daily from
    // registryUrl, when one is set.
    const registry = build('registry', eventHandlers.registry, { retryAttempts: 0 });
    new CustomResource(this, 'RegistrySnapshot', {
      serviceToken: registry.functionArn,
      resourceType: 'Custom::RegistrySnapshot',
      properties: { PublishedAt: registrySnapshot().publishedAt },
    });
    if (settings.registryUrl) {
      new Rule(this, 'RegistrySchedule', {
        description: 'Sandbox Gatekeeper: the .gov registry, loaded daily',
        schedule: Schedule.rate(Duration.days(1)),
        targets: [new LambdaFunction(registry, { retryAttempts: 2 })],
      });
    }

    const alarmTopic: ITopic = settings.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', settings.alarmTopicArn)
      : alarmActionTopic('AlarmTopic', 'Sandbox Gatekeeper alarms');
    if (!settings.alarmTopicArn && settings.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail));
    new Alarms(this, 'Alarms', {
      topic: alarmTopic,
      functions: [...functions.values(), feedback, breaker, sweep, registry, ...(webhookSecret ? [webhookSecret.setup] : [])],
      api,
      stageName: stage.stageName,
      deadLetterQueue: feedbackDeadLetters,
      reputationTopic,
    });

    addressOutputsIn(this, {
      stageUrl: stage.url,
      ...(edge ? { edge: { domainName: settings.edge!.domainName, target: edge.distribution.distributionDomainName } } : {}),
      ...(domain && settings.domainName ? { domain: { domainName: settings.domainName, target: domain.regionalDomainName } } : {}),
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'SigningKeysSecret', { value: signingKeys.secret.secretArn });
    new CfnOutput(this, 'ConfigurationSetName', { value: configurationSet.configurationSetName });
    new CfnOutput(this, 'MailFrom', { value: settings.mailFrom, description: 'The sender the functions use' });
    // The operator's CLI configures the use cases exactly as the sweep is configured (it does what the sweep does).
    new CfnOutput(this, 'OperatorEnvironment', {
      value: this.toJsonString(operatorEnvironment(environments.get('sweep')!)),
      description: 'The sweep function’s configuration, which npm run admin --stack runs the use cases with',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    if (webhookSecret) new CfnOutput(this, 'WebhookSecretArn', { value: webhookSecret.secret.secretArn });
    if (settings.webhookUrl) new CfnOutput(this, 'WebhookUrl', { value: settings.webhookUrl });
    if (oidcClientKey) {
      new CfnOutput(this, 'OidcClientKeySecretArn', {
        value: oidcClientKey.secretArn,
        description: 'Put the OIDC client’s private JWK here (README, "Sponsor sign-in"): sponsors cannot sign in until it holds one',
      });
    }

    if (settings.sandboxAccountId) {
      sandboxAccessIn(this, {
        api,
        stage,
        accountId: settings.sandboxAccountId,
        ...(settings.domainName ? { domainName: settings.domainName } : {}),
      });
    }
    operatorAccessIn(this, {
      table,
      mail,
      signingKeys,
      ...(webhookSecret ? { webhookSecret } : {}),
      role: settings.operatorRole === true,
    });
  }
}
