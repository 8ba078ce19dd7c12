import { type App, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isValidHostname } from '../functions/core/address';
import { isLimitVariable, LIMIT_VARIABLES } from '../functions/service/environment';
import { routes } from '../functions/service/routes';
import { DEFAULT_EDGE_REQUESTS_PER_FIVE_MINUTES, EDGE_REGION, throttlesTooCloseToWafRate } from './edge';
import { type GatekeeperSettings, GatekeeperStack } from './gatekeeper-stack';
import { DEFAULT_THROTTLE } from './http-api';

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

/** What every deploy must name: the sender and its verified SES identity (no placeholder ships in cdk.json). */
export const REQUIRED_CONTEXT = ['mailFrom', 'sesIdentity'] as const;

/** Reads the settings from context (cdk.json, or `-c name=value`), checked before anything is built. */
export function settingsFromContext(app: App): GatekeeperSettings {
  const context = (name: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(name);
    if (value === undefined || value === null) return undefined;
    const text = String(value).trim();
    return text === '' ? undefined : text;
  };
  // Both named at once: cdk.json ships no sender, so a first synth lacks both.
  const missing = REQUIRED_CONTEXT.filter((name) => context(name) === undefined);
  if (missing.length) {
    throw new Error(
      `Context ${missing.length === 1 ? 'value' : 'values'} ${missing.map((name) => `"${name}"`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} required (cdk.json, or ${missing.map((name) => `-c ${name}=...`).join(' ')}): the sender address and the SES identity it belongs to`,
    );
  }
  const required = (name: (typeof REQUIRED_CONTEXT)[number]): string => context(name)!;
  const number = (name: string): number | undefined => {
    const value = context(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`Context value "${name}" must be a whole number, got "${value}"`);
    return Number(value);
  };
  const flag = (name: string): boolean => {
    const value = context(name);
    if (value !== undefined && value !== 'true' && value !== 'false') {
      throw new Error(`Context value "${name}" must be true or false, got "${value}"`);
    }
    return value === 'true';
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
        'privacyUrl',
        'accessibilityUrl',
        'webhookUrl',
        'alarmTopicArn',
        'alarmEmail',
        'oidcIssuer',
        'oidcClientId',
        'registryUrl',
        'sandboxAccountId',
      ] as const
    )
      .map((name) => [name, context(name)])
      .filter(([, value]) => value !== undefined),
  );
  const sweepIntervalMinutes = number('sweepIntervalMinutes');
  if (sweepIntervalMinutes !== undefined && (sweepIntervalMinutes < 1 || sweepIntervalMinutes > 1440)) {
    throw new Error(`Context value "sweepIntervalMinutes" must be from 1 to 1440, got ${sweepIntervalMinutes}`);
  }
  const operatorRole = flag('operatorRole');
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
    ...(sweepIntervalMinutes !== undefined ? { sweepIntervalMinutes } : {}),
    ...(operatorRole ? { operatorRole } : {}),
  };
  if (Boolean(settings.oidcIssuer) !== Boolean(settings.oidcClientId)) {
    throw new Error(
      'Context values "oidcIssuer" and "oidcClientId" go together: set both (sponsors sign in with that provider) or neither (an emailed code)',
    );
  }
  if (settings.sandboxAccountId !== undefined && !/^\d{12}$/.test(settings.sandboxAccountId)) {
    throw new Error(`Context value "sandboxAccountId" must be a 12-digit AWS account id, got "${settings.sandboxAccountId}"`);
  }
  if (Boolean(settings.domainName) !== Boolean(settings.certificateArn)) {
    throw new Error('Context values "domainName" and "certificateArn" go together: set both or neither');
  }
  if (settings.domainName && !isValidHostname(settings.domainName)) {
    throw new Error(`Context value "domainName" must be a host name like sandbox.agency.gov, got "${settings.domainName}"`);
  }
  const edge = edgeFromContext(context, number, flag, settings);
  // Every other value is checked by the functions' own loader, on the environment each function
  // is deployed with (infra/function-environment.ts), so a bad value fails here, not at a cold start.
  return edge ? { ...settings, edge } : settings;
}

const EDGE_ONLY = ['edgeDomainName', 'edgeCertificateArn', 'edgeRequestsPerFiveMinutes'] as const;

/** The edge option (`-c edge=true`): its own values, refused when given without it. */
function edgeFromContext(
  context: (name: string) => string | undefined,
  number: (name: string) => number | undefined,
  flag: (name: string) => boolean,
  settings: GatekeeperSettings,
): GatekeeperSettings['edge'] {
  if (!flag('edge')) {
    const stray = EDGE_ONLY.find((name) => context(name) !== undefined);
    if (stray) throw new Error(`Context value "${stray}" is used only with the edge option: add -c edge=true`);
    return undefined;
  }
  if (!settings.domainName || !settings.certificateArn) {
    throw new Error(
      'The edge option needs the API\'s custom domain as its origin: set "domainName" and "certificateArn" (e.g. origin.sandbox.agency.gov)',
    );
  }
  const domainName = context('edgeDomainName');
  if (!domainName || !isValidHostname(domainName)) {
    throw new Error(`The edge option needs "edgeDomainName", the public host name like sandbox.agency.gov, got "${domainName ?? ''}"`);
  }
  if (domainName === settings.domainName) {
    throw new Error('Context values "edgeDomainName" and "domainName" must differ: the edge is public, the API is its origin');
  }
  const certificateArn = context('edgeCertificateArn') ?? settings.certificateArn;
  const region = /^arn:[^:]+:acm:([^:]+):/.exec(certificateArn)?.[1];
  if (region !== undefined && region !== EDGE_REGION) {
    throw new Error(`CloudFront takes certificates from ${EDGE_REGION}; "edgeCertificateArn" (or "certificateArn") is in ${region}`);
  }
  const requestsPerFiveMinutes = number('edgeRequestsPerFiveMinutes') ?? DEFAULT_EDGE_REQUESTS_PER_FIVE_MINUTES;
  if (requestsPerFiveMinutes < 10) {
    throw new Error(
      `Context value "edgeRequestsPerFiveMinutes" must be at least 10 (AWS WAF's smallest rate limit), got ${requestsPerFiveMinutes}`,
    );
  }
  const tooClose = throttlesTooCloseToWafRate(requestsPerFiveMinutes, {
    'the stage default ("throttleRatePerSecond")': settings.throttleRatePerSecond ?? DEFAULT_THROTTLE.rate,
    ...Object.fromEntries(routes.map((route) => [route.path, route.throttle.rate])),
  });
  if (tooClose) throw new Error(tooClose);
  return { domainName, certificateArn, requestsPerFiveMinutes };
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
