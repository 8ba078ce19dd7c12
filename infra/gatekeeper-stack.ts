import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, DomainName, HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { fallbackHandler, type HandlerName, type Route, routes } from '../functions/service/routes';
import { table as tableDefinition } from '../functions/service/table';
import { Alarms } from './constructs/alarms';
import { GatekeeperFunction, type GatekeeperFunctionProps } from './constructs/gatekeeper-function';
import { functionEnvironment, validateEnvironment } from './function-environment';
import { apiGatewayPath, eventHandlers, type HandlerSpec, handlers } from './function-specs';

export interface GatekeeperSettings {
  /** Sender address; must belong to the SES identity. */
  readonly mailFrom: string;
  /** SES identity (domain or address) that sends. */
  readonly sesIdentity: string;
  /** Public origin links point to; default: the custom domain, else the API's own domain from the request context. */
  readonly baseUrl?: string;
  /** Custom domain for the API, with an ACM certificate (same region) that covers it. */
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly allowedOrigins?: string;
  readonly allowedDomainSuffixes?: string;
  readonly deniedDomains?: string;
  /** Local parts of shared mailboxes that cannot sponsor anyone (default: info, admin, noreply…). */
  readonly deniedSponsorMailboxes?: string;
  readonly sandboxUrl?: string;
  /** A partner's thank-you page (on an allowed origin) for its no-JavaScript form posts. */
  readonly signupSuccessUrl?: string;
  /** Named in every email as the address to write to. */
  readonly supportEmail?: string;
  /** Alarm notifications: an existing topic, else a new one (with an optional email subscriber). */
  readonly alarmTopicArn?: string;
  readonly alarmEmail?: string;
  /** Limits and lifetimes as the functions' environment variables (RATE_LIMIT_…, …_TTL_SECONDS). */
  readonly limits?: Readonly<Record<string, string>>;
  /** Default stage throttling: steady requests per second and burst. */
  readonly throttleRatePerSecond?: number;
  readonly throttleBurst?: number;
  readonly logRetention?: RetentionDays;
}

export interface GatekeeperStackProps extends StackProps {
  readonly settings: GatekeeperSettings;
}

/** API access log fields: no query string (tokens travel in it), no headers, no body. */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  responseBytes: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
} as const;

/** What an administrator may do with a key, without reading what it protects (no kms:Decrypt). */
const KEY_ADMINISTRATION = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

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
    for (const [indexName, index] of Object.entries(tableDefinition.indexes)) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // The signing keys' own customer-managed key: an administrator can manage it and Secrets
    // Manager can encrypt with it, but only the roles that sign or verify may decrypt (added below),
    // so broad Secrets Manager rights in the account do not reveal the keys.
    const signingKeysKey = new Key(this, 'SigningKeysKey', {
      description: 'Sandbox Gatekeeper: encrypts the approval-token signing keys',
      enableKeyRotation: true,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'KeyAdministrationWithoutDecrypt',
            principals: [new AccountRootPrincipal()],
            actions: KEY_ADMINISTRATION,
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'SecretsManagerMayEncrypt',
            principals: [new AccountRootPrincipal()],
            actions: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
            resources: ['*'],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
          }),
        ],
      }),
    });
    // One random seed per key; the functions derive the Ed25519 key pair from it. Rotation: README.
    const signingKeys = new Secret(this, 'SigningKeys', {
      description: 'Sandbox Gatekeeper: approval-token signing keys',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: 'k1' }),
        generateStringKey: 'seed',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    // Set on the resource, not through `encryptionKey`: that would also let the whole account
    // decrypt through Secrets Manager, which is what the key is here to prevent.
    (signingKeys.node.defaultChild as CfnSecret).kmsKeyId = signingKeysKey.keyArn;
    Validations.of(signingKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation must keep the old key verifying until every link it signed has expired (APPROVAL_TTL_SECONDS); a single-value rotation Lambda would break outstanding links. The overlap rotation is an operator procedure (README, "Signing keys and their rotation").',
    });

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
    serviceUse(
      'ses.amazonaws.com',
      this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
    );
    serviceUse(
      'cloudwatch.amazonaws.com',
      this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    const mail = {
      identityArn: this.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.sesIdentity }),
      configurationSetArn: this.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSet.configurationSetName,
      }),
      configurationSetName: configurationSet.configurationSetName,
      from: settings.mailFrom,
    };

    const build = (name: string, spec: HandlerSpec, extra: Partial<GatekeeperFunctionProps> = {}) => {
      // Every handler reads its config at start-up; access is granted only where it is used.
      const environment = functionEnvironment(settings, {
        tableName: table.tableName,
        ...(spec.uses.includes('mail') ? { sesConfigurationSet: mail.configurationSetName } : {}),
        ...(spec.uses.includes('signing-keys') ? { signingKeysSecretArn: signingKeys.secretArn } : {}),
      });
      validateEnvironment(environment, settings);
      const fn = new GatekeeperFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
        spec,
        environment,
        logRetention,
        ...extra,
      });
      if ('table' in spec && spec.table) fn.grantTable(table, spec.table);
      if (spec.uses.includes('mail')) fn.grantMail(mail);
      if (spec.uses.includes('signing-keys')) {
        signingKeys.grantRead(fn);
        signingKeysKey.addToResourcePolicy(
          new PolicyStatement({
            principals: [fn.role!],
            actions: ['kms:Decrypt'],
            resources: ['*'],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
          }),
        );
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
    const reputationTopic = new Topic(this, 'ReputationAlarms', {
      displayName: 'SES reputation alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    const breaker = build('breaker', eventHandlers.breaker, { deadLetterQueue: feedbackDeadLetters, retryAttempts: 2 });
    reputationTopic.addSubscription(new LambdaSubscription(breaker, { deadLetterQueue: feedbackDeadLetters }));

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: logRetention });
    const domain =
      settings.domainName && settings.certificateArn
        ? new DomainName(this, 'Domain', {
            domainName: settings.domainName,
            certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn),
          })
        : undefined;
    const integrationOf = (name: HandlerName) => new HttpLambdaIntegration(`${name}Integration`, functions.get(name)!);
    const api = new HttpApi(this, 'Api', {
      description: 'Sandbox Gatekeeper',
      defaultIntegration: integrationOf(fallbackHandler),
      createDefaultStage: false,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRatePerSecond ?? 50, burstLimit: settings.throttleBurst ?? 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      ...(domain ? { domainMapping: { domainName: domain } } : {}),
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'A public sign-up service: anonymous people sign up and follow emailed links. Each action is authorised by a single-use token, requests are rate limited per client and per recipient, and the stage is throttled.',
    });
    const integrations = new Map<HandlerName, HttpLambdaIntegration>();
    for (const route of routes) {
      if (!integrations.has(route.handler)) integrations.set(route.handler, integrationOf(route.handler));
      // ANY: the handler answers HEAD, OPTIONS and 405 itself, exactly as it does locally.
      const added = api.addRoutes({
        path: apiGatewayPath(route),
        methods: [HttpMethod.ANY],
        integration: integrations.get(route.handler)!,
      });
      // The stage's route settings name the routes: they must exist first.
      for (const httpRoute of added) stage.node.addDependency(httpRoute);
    }
    // Each route's own throttle, from the route table; anything else ($default) has the stage's.
    (stage.node.defaultChild as CfnStage).addPropertyOverride(
      'RouteSettings',
      Object.fromEntries(
        routes.map((route: Route) => [
          `ANY ${apiGatewayPath(route)}`,
          { ThrottlingRateLimit: route.throttle.rate, ThrottlingBurstLimit: route.throttle.burst },
        ]),
      ),
    );

    const alarmTopic: ITopic = settings.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', settings.alarmTopicArn)
      : new Topic(this, 'AlarmTopic', { displayName: 'Sandbox Gatekeeper alarms', masterKey: topicKey, enforceSSL: true });
    if (!settings.alarmTopicArn && settings.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail));
    new Alarms(this, 'Alarms', {
      topic: alarmTopic,
      functions: [...functions.values(), feedback, breaker],
      api,
      stageName: stage.stageName,
      deadLetterQueue: feedbackDeadLetters,
      reputationTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'The sign-up page (unless a custom domain fronts the API)' });
    if (domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: domain.regionalDomainName,
        description: `Point ${settings.domainName} (CNAME or alias) here`,
      });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'SigningKeysSecret', { value: signingKeys.secretArn });
    new CfnOutput(this, 'ConfigurationSetName', { value: configurationSet.configurationSetName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
  }
}
