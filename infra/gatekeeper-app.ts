import { type App, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isValidHostname } from '../functions/core/address';
import { isLimitVariable, LIMIT_VARIABLES } from '../functions/service/environment';
import { type GatekeeperSettings, GatekeeperStack } from './gatekeeper-stack';

/** `limits` is an object in cdk.json and a JSON string with -c; anything else is refused, not ignored. */
function limitsFromContext(raw: unknown): Readonly<Record<string, unknown>> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      value = undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Context value "limits" must be a JSON object like {"RATE_LIMIT_IP_PER_HOUR":"50"}, got ${JSON.stringify(raw)}`);
  }
  return value as Record<string, unknown>;
}

/** Reads the settings from context (cdk.json, or `-c name=value`), checked before anything is built. */
export function settingsFromContext(app: App): GatekeeperSettings {
  const context = (name: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(name);
    if (value === undefined || value === null) return undefined;
    const text = String(value).trim();
    return text === '' ? undefined : text;
  };
  const required = (name: string): string => {
    const value = context(name);
    if (!value) throw new Error(`Context value "${name}" is required (cdk.json or -c ${name}=...)`);
    return value;
  };
  const number = (name: string): number | undefined => {
    const value = context(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`Context value "${name}" must be a whole number, got "${value}"`);
    return Number(value);
  };

  const limits: Record<string, string> = {};
  for (const [name, value] of Object.entries(limitsFromContext(app.node.tryGetContext('limits')))) {
    if (!isLimitVariable(name)) throw new Error(`Context value "limits" may set ${LIMIT_VARIABLES.join(', ')}; not ${name}`);
    limits[name] = String(value);
  }
  const retention = number('logRetentionDays');
  if (retention !== undefined && !Object.values(RetentionDays).includes(retention)) {
    throw new Error(`Context value "logRetentionDays" must be one CloudWatch Logs offers (e.g. 30, 90, 365), got ${retention}`);
  }

  const optional = Object.fromEntries(
    (
      [
        'baseUrl',
        'domainName',
        'certificateArn',
        'allowedOrigins',
        'allowedDomainSuffixes',
        'deniedDomains',
        'deniedSponsorMailboxes',
        'sandboxUrl',
        'signupSuccessUrl',
        'supportEmail',
        'alarmTopicArn',
        'alarmEmail',
      ] as const
    )
      .map((name) => [name, context(name)])
      .filter(([, value]) => value !== undefined),
  );
  const rate = number('throttleRatePerSecond');
  const burst = number('throttleBurst');
  const settings: GatekeeperSettings = {
    mailFrom: required('mailFrom'),
    sesIdentity: required('sesIdentity'),
    ...optional,
    limits,
    ...(rate !== undefined ? { throttleRatePerSecond: rate } : {}),
    ...(burst !== undefined ? { throttleBurst: burst } : {}),
    ...(retention !== undefined ? { logRetention: retention as RetentionDays } : {}),
  };
  if (Boolean(settings.domainName) !== Boolean(settings.certificateArn)) {
    throw new Error('Context values "domainName" and "certificateArn" go together: set both or neither');
  }
  if (settings.domainName && !isValidHostname(settings.domainName)) {
    throw new Error(`Context value "domainName" must be a host name like sandbox.agency.gov, got "${settings.domainName}"`);
  }
  // Every other value is checked by the functions' own loader, on the environment each function
  // is deployed with (infra/function-environment.ts), so a bad value fails here, not at a cold start.
  return settings;
}

/** The app: the stack, checked by cdk-nag's AwsSolutions pack (a finding fails the synth). */
export function buildApp(app: App): GatekeeperStack {
  const stack = new GatekeeperStack(app, 'SandboxGatekeeper', {
    settings: settingsFromContext(app),
    description: 'Sandbox Gatekeeper: .gov/.mil self sign-up and contractor sponsorship',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
