import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { GatekeeperFunction } from './constructs/gatekeeper-function';
import { fallbackHandler, handlers, routes, type Capability, type HandlerName } from './routes';
import { table as tableDefinition } from './table';

export interface GatekeeperSettings {
  /** Sender address; must belong to the SES identity. */
  readonly mailFrom: string;
  /** SES identity (domain or address) that sends. */
  readonly sesIdentity: string;
  /** Public origin links point to (a custom domain); empty: the API's own domain from the request context. */
  readonly baseUrl?: string;
  readonly allowedOrigins?: string;
  readonly allowedDomainSuffixes?: string;
  readonly deniedDomains?: string;
  readonly sandboxUrl?: string;
}

export interface GatekeeperStackProps extends StackProps {
  readonly settings: GatekeeperSettings;
}

export class GatekeeperStack extends Stack {
  constructor(scope: Construct, id: string, props: GatekeeperStackProps) {
    super(scope, id, props);
    const { settings } = props;

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

    const identityArn = this.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.sesIdentity });
    const environment: Record<string, string> = {
      ...(settings.baseUrl ? { BASE_URL: settings.baseUrl } : {}),
      ...(settings.allowedOrigins ? { ALLOWED_ORIGINS: settings.allowedOrigins } : {}),
      ...(settings.allowedDomainSuffixes ? { ALLOWED_DOMAIN_SUFFIXES: settings.allowedDomainSuffixes } : {}),
      ...(settings.deniedDomains ? { DENIED_DOMAINS: settings.deniedDomains } : {}),
      ...(settings.sandboxUrl ? { SANDBOX_URL: settings.sandboxUrl } : {}),
    };

    const functions = new Map<HandlerName, GatekeeperFunction>();
    for (const name of Object.keys(handlers) as HandlerName[]) {
      const fn = new GatekeeperFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, { handler: name, environment });
      const uses: readonly Capability[] = handlers[name].uses;
      // Every handler reads config at start-up; access is granted only where it is used.
      if (uses.includes('table-write')) fn.bindTable(table, 'write');
      else if (uses.includes('table-read')) fn.bindTable(table, 'read');
      else fn.addEnvironment('TABLE_NAME', table.tableName);
      if (uses.includes('mail')) fn.bindMail({ identityArn, from: settings.mailFrom });
      else fn.addEnvironment('MAIL_FROM', settings.mailFrom);
      if (uses.includes('signing-keys')) fn.bindSigningKeys(signingKeys);
      functions.set(name, fn);
    }
    const integrationOf = (name: HandlerName) => new HttpLambdaIntegration(`${name}Integration`, functions.get(name)!);

    const api = new HttpApi(this, 'Api', {
      description: 'Sandbox Gatekeeper',
      defaultIntegration: integrationOf(fallbackHandler),
    });
    const integrations = new Map<HandlerName, HttpLambdaIntegration>();
    for (const route of routes) {
      if (!integrations.has(route.handler)) integrations.set(route.handler, integrationOf(route.handler));
      // ANY: the handler answers HEAD, OPTIONS and 405 itself, exactly as it does locally.
      api.addRoutes({ path: route.path, methods: [HttpMethod.ANY], integration: integrations.get(route.handler)! });
    }

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint, description: 'Sign-up page (unless a custom domain fronts it)' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}
