import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type ItemFamily, itemFamilies, writtenWith } from '../../functions/service/table';
import type { HandlerSpec, TableAccess } from '../function-specs';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface GatekeeperFunctionProps {
  readonly spec: HandlerSpec;
  readonly environment: Record<string, string>;
  readonly logRetention?: RetentionDays;
  /** Event-driven functions: where failed asynchronous invocations go, after `retryAttempts`. */
  readonly deadLetterQueue?: IQueue;
  readonly retryAttempts?: number;
}

/** Folders copied beside a function's bundle, by the capability that needs them: (capability, from the repository, to). */
const BESIDE: readonly (readonly [string, string, string])[] = [
  ['static-files', 'functions/static', 'static'],
  ['registry-snapshot', 'registry', 'registry'],
];
/**
 * Packages a Lambda bundle takes from our own modules (esbuild `alias`, paths from the project
 * root, where the bundler runs), measured with esbuild's metafile:
 * - credentials: Lambda hands every function its role's credentials in the environment, so the
 *   SDK's default chain (SSO, STS, ini files, credential processes, metadata endpoints and the
 *   nested clients they bring, ~120 kB of every SDK bundle) is replaced by the environment
 *   provider alone (functions/wiring/lambda-credentials.ts). `npm start` and the admin CLI are not
 *   bundled and keep the full chain.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './functions/wiring/lambda-credentials.ts',
};

/**
 * The house Lambda: one place for runtime, architecture, bundling and logging defaults.
 * The AWS SDK is bundled (tree-shaken ESM) rather than loaded from the runtime: it starts faster.
 */
export class GatekeeperFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: GatekeeperFunctionProps) {
    const { spec } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.THREE_MONTHS });
    // Its own role, allowed to write to its own log group only (not the managed
    // AWSLambdaBasicExecutionRole, which may write to every log group of the account).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: `${root}${spec.entry}`,
      handler: 'handler',
      description: spec.description,
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds('timeoutSeconds' in spec && spec.timeoutSeconds ? spec.timeoutSeconds : 10),
      environment: props.environment,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
      logGroup,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        // No source maps: loading them (--enable-source-maps) costs cold-start time, and logged stacks are redacted anyway.
        sourceMap: false,
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([pkg, module]) => `${pkg}=${module}`) },
        // Some CommonJS dependencies call require(); give the ESM bundle one.
        banner: "import { createRequire as __gkCreateRequire } from 'node:module'; const require = __gkCreateRequire(import.meta.url);",
        // Files that travel beside the bundle: the static files (functions/static, built before
        // synth), the .gov registry snapshot (registry/).
        ...(BESIDE.some(([capability]) => (spec.uses as readonly string[]).includes(capability))
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  BESIDE.filter(([capability]) => (spec.uses as readonly string[]).includes(capability)).map(
                    ([, from, to]) => `cp -R "${inputDir}/${from}" "${outputDir}/${to}"`,
                  ),
              },
            }
          : {}),
      },
    });
  }

  /**
   * The table operations the use cases perform, nothing more: GetItem on the families it reads,
   * the one write each family it writes takes (conditional PutItem, or UpdateItem for counters;
   * each with a `dynamodb:LeadingKeys` condition, so no function can touch another family's
   * items), DeleteItem on accounts only
   * where a person removes their own pending request, and Query on the named indexes it uses
   * (an index's leading key is its own, so those statements carry no item-family condition).
   * Scan only where a function reads every account (the sandbox's roster), no table-wide
   * write, no index wildcard.
   */
  grantTable(table: ITable, access: TableAccess): this {
    const families = (names: readonly ItemFamily[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': names.map((name) => `${itemFamilies[name]}*`) },
    });
    const statement = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.addToRolePolicy(new PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) }));
    if (access.read.length) statement(['dynamodb:GetItem'], [table.tableArn], families(access.read));
    if (access.readMany?.length) statement(['dynamodb:BatchGetItem'], [table.tableArn], families(access.readMany));
    if (access.writeMany?.length) statement(['dynamodb:BatchWriteItem'], [table.tableArn], families(access.writeMany));
    if (access.queryPartitions?.length) statement(['dynamodb:Query'], [table.tableArn], families(access.queryPartitions));
    for (const action of new Set(access.write.map((family) => writtenWith[family]))) {
      statement([action], [table.tableArn], families(access.write.filter((family) => writtenWith[family] === action)));
    }
    if (access.removeAccounts) statement(['dynamodb:DeleteItem'], [table.tableArn], families(['account']));
    // A scan has no leading key: the grant is the table's, and the function reads accounts only.
    if (access.scanAccounts) statement(['dynamodb:Scan'], [table.tableArn]);
    if (access.indexes.length)
      statement(
        ['dynamodb:Query'],
        access.indexes.map((index) => `${table.tableArn}/index/${index}`),
      );
    return this;
  }

  /**
   * SES SendEmail from the configured identity and sender address only, through the
   * configuration set (SES checks the permission on both).
   */
  grantMail(options: { identityArn: string; configurationSetArn: string; from: string }): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [options.identityArn, options.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': options.from } },
      }),
    );
    return this;
  }
}
