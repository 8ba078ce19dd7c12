import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlers, type HandlerName } from '../routes';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface GatekeeperFunctionProps {
  readonly handler: HandlerName;
  readonly environment: Record<string, string>;
  readonly logRetention?: RetentionDays;
}

/**
 * The house Lambda: one place for runtime, architecture, bundling and logging defaults.
 * The AWS SDK is bundled (tree-shaken ESM) rather than loaded from the runtime: it starts faster.
 */
export class GatekeeperFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: GatekeeperFunctionProps) {
    const spec = handlers[props.handler];
    super(scope, id, {
      entry: `${root}${spec.entry}`,
      handler: 'handler',
      description: spec.description,
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: props.environment,
      logGroup: new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.THREE_MONTHS }),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: false,
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require(); give the ESM bundle one.
        banner: "import { createRequire as __gkCreateRequire } from 'node:module'; const require = __gkCreateRequire(import.meta.url);",
      },
    });
  }

  /**
   * The item operations the use cases perform, nothing more: reads (GetItem, index Query) and,
   * for writers, the conditional PutItem/UpdateItem. No Scan, no DeleteItem, no batch.
   */
  bindTable(table: ITable, access: 'read' | 'write'): this {
    const reads = ['dynamodb:GetItem', 'dynamodb:Query'];
    table.grant(this, ...reads, ...(access === 'write' ? ['dynamodb:PutItem', 'dynamodb:UpdateItem'] : []));
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** Read access to the approval-token signing keys. */
  bindSigningKeys(secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment('SIGNING_KEYS_SECRET_ARN', secret.secretArn);
    return this;
  }

  /** SES SendEmail from the configured identity and sender address only. */
  bindMail(options: { identityArn: string; from: string }): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [options.identityArn],
        conditions: { StringEquals: { 'ses:FromAddress': options.from } },
      }),
    );
    this.addEnvironment('MAIL_FROM', options.from);
    return this;
  }
}
