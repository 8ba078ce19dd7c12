import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/service/config';

const MINIMAL = { TABLE_NAME: 'gatekeeper', MAIL_FROM: 'no-reply@sandbox.example.gov' };

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig: defaults', () => {
  it('applies the documented limits and lifetimes', () => {
    const config = loadConfig(MINIMAL);

    expect({
      emailCooldownSeconds: config.emailCooldownSeconds,
      emailsPerDay: config.emailsPerDay,
      ipRequestsPerHour: config.ipRequestsPerHour,
      sponsorRequestsPerDay: config.sponsorRequestsPerDay,
      verificationTtlSeconds: config.verificationTtlSeconds,
      approvalTtlSeconds: config.approvalTtlSeconds,
      contractorAccessSeconds: config.contractorAccessSeconds,
      renewalNoticeSeconds: config.renewalNoticeSeconds,
      sessionTtlSeconds: config.sessionTtlSeconds,
      signIn: config.signIn,
      sweepIntervalSeconds: config.sweepIntervalSeconds,
    }).toEqual({
      emailCooldownSeconds: 60,
      emailsPerDay: 5,
      ipRequestsPerHour: 100,
      sponsorRequestsPerDay: 10,
      verificationTtlSeconds: 86_400,
      approvalTtlSeconds: 604_800,
      contractorAccessSeconds: 31_536_000,
      renewalNoticeSeconds: 2_592_000,
      sessionTtlSeconds: 3600,
      signIn: { method: 'code' },
      sweepIntervalSeconds: 60,
    });
  });

  it('has empty lists and no optional URLs when none are set', () => {
    const config = loadConfig(MINIMAL);

    expect(config).toEqual(
      expect.objectContaining({
        tableName: 'gatekeeper',
        mailFrom: 'no-reply@sandbox.example.gov',
        allowedOrigins: [],
        allowedDomainSuffixes: [],
        deniedDomains: [],
      }),
    );
    for (const key of ['baseUrl', 'sandboxUrl', 'dynamodbEndpoint', 'sesEndpoint']) expect(config).not.toHaveProperty(key);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ...MINIMAL, RATE_LIMIT_EMAIL_PER_DAY: '   ', BASE_URL: '' }).emailsPerDay).toBe(5);
  });
});

describe('loadConfig: overrides', () => {
  it('reads every number from its variable', () => {
    const config = loadConfig({
      ...MINIMAL,
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '120',
      RATE_LIMIT_EMAIL_PER_DAY: '3',
      RATE_LIMIT_IP_PER_HOUR: '50',
      SPONSOR_REQUESTS_PER_DAY: '4',
      VERIFICATION_TTL_SECONDS: '900',
      APPROVAL_TTL_SECONDS: '3600',
      CONTRACTOR_ACCESS_DAYS: '30',
    });

    expect([
      config.emailCooldownSeconds,
      config.emailsPerDay,
      config.ipRequestsPerHour,
      config.sponsorRequestsPerDay,
      config.verificationTtlSeconds,
      config.approvalTtlSeconds,
      config.contractorAccessSeconds,
    ]).toEqual([120, 3, 50, 4, 900, 3600, 30 * 86_400]);
  });

  it('allows a cooldown of 0', () => {
    expect(loadConfig({ ...MINIMAL, RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' }).emailCooldownSeconds).toBe(0);
  });

  it('reads URLs and drops a trailing slash from BASE_URL', () => {
    const config = loadConfig({
      ...MINIMAL,
      BASE_URL: 'https://sandbox.example.gov/',
      SANDBOX_URL: 'https://app.sandbox.example.gov',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      SES_ENDPOINT: 'http://127.0.0.1:8005',
    });

    expect([config.baseUrl, config.sandboxUrl, config.dynamodbEndpoint, config.sesEndpoint]).toEqual([
      'https://sandbox.example.gov',
      'https://app.sandbox.example.gov',
      'http://127.0.0.1:8000',
      'http://127.0.0.1:8005',
    ]);
  });

  it('reads ALLOWED_ORIGINS as a comma-separated list of origins', () => {
    const config = loadConfig({ ...MINIMAL, ALLOWED_ORIGINS: ' https://www.agency.gov , http://localhost:8080/ ,' });

    expect(config.allowedOrigins).toEqual(['https://www.agency.gov', 'http://localhost:8080']);
  });

  it('lower-cases DENIED_DOMAINS and strips a leading dot', () => {
    expect(loadConfig({ ...MINIMAL, DENIED_DOMAINS: '.Blocked.GOV, Other.Mil' }).deniedDomains).toEqual(['blocked.gov', 'other.mil']);
  });

  it('lower-cases ALLOWED_DOMAIN_SUFFIXES and strips a leading dot', () => {
    expect(loadConfig({ ...MINIMAL, ALLOWED_DOMAIN_SUFFIXES: '.FED.us' }).allowedDomainSuffixes).toEqual(['fed.us']);
  });
});

describe('loadConfig: how sponsors sign in', () => {
  const OIDC = {
    OIDC_ISSUER: 'https://idp.int.identitysandbox.gov',
    OIDC_CLIENT_ID: 'urn:gov:gsa:openidconnect.profiles:sp:sso:agency:sandbox',
  };

  it('reads SESSION_TTL_SECONDS', () => {
    expect(loadConfig({ ...MINIMAL, SESSION_TTL_SECONDS: '900' }).sessionTtlSeconds).toBe(900);
  });

  it('signs in with OpenID Connect when a provider is configured, with the key from a file or a secret', () => {
    expect(loadConfig({ ...MINIMAL, ...OIDC, OIDC_PRIVATE_KEY_FILE: '/keys/oidc.pem' }).signIn).toEqual({
      method: 'oidc',
      issuer: OIDC.OIDC_ISSUER,
      clientId: OIDC.OIDC_CLIENT_ID,
      privateKeyFile: '/keys/oidc.pem',
    });
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:oidc-key';
    expect(loadConfig({ ...MINIMAL, ...OIDC, SIGN_IN_METHOD: 'oidc', OIDC_PRIVATE_KEY_SECRET_ARN: arn }).signIn).toEqual({
      method: 'oidc',
      issuer: OIDC.OIDC_ISSUER,
      clientId: OIDC.OIDC_CLIENT_ID,
      privateKeySecretArn: arn,
    });
  });

  it('signs in with an emailed code when SIGN_IN_METHOD=code, even with a provider configured', () => {
    expect(loadConfig({ ...MINIMAL, ...OIDC, SIGN_IN_METHOD: 'code', OIDC_PRIVATE_KEY_FILE: '/keys/oidc.pem' }).signIn).toEqual({
      method: 'code',
    });
  });

  it.each([
    [{ SIGN_IN_METHOD: 'oidc' }, 'OIDC_ISSUER'],
    [{ SIGN_IN_METHOD: 'oidc', OIDC_ISSUER: OIDC.OIDC_ISSUER }, 'OIDC_CLIENT_ID'],
    [{ OIDC_ISSUER: OIDC.OIDC_ISSUER }, 'OIDC_CLIENT_ID'],
    [OIDC, 'OIDC_PRIVATE_KEY_SECRET_ARN'],
    [{ ...OIDC, OIDC_ISSUER: 'not a url' }, 'OIDC_ISSUER'],
  ])('refuses an incomplete OpenID Connect set-up %j, naming the variable', (env, variable) => {
    const error = failure({ ...MINIMAL, ...env });
    expect([error.variable, error.message.includes(variable)]).toEqual([variable, true]);
  });
});

describe('loadConfig: refusals', () => {
  it.each(['TABLE_NAME', 'MAIL_FROM'])('refuses a missing %s, naming it', (name) => {
    const env: Record<string, string | undefined> = { ...MINIMAL, [name]: undefined };

    expect(failure(env).message).toContain(name);
  });

  it('refuses CONTRACTOR_ACCESS_SECONDS together with the older CONTRACTOR_ACCESS_DAYS, naming both', () => {
    const message = failure({ ...MINIMAL, CONTRACTOR_ACCESS_SECONDS: '3600', CONTRACTOR_ACCESS_DAYS: '30' }).message;
    expect([message.includes('CONTRACTOR_ACCESS_SECONDS'), message.includes('CONTRACTOR_ACCESS_DAYS')]).toEqual([true, true]);
  });

  it('refuses a renewal notice as long as the access it warns of', () => {
    expect(failure({ ...MINIMAL, CONTRACTOR_ACCESS_SECONDS: '3600', RENEWAL_NOTICE_SECONDS: '3600' }).message).toContain(
      'RENEWAL_NOTICE_SECONDS',
    );
  });

  it('gives short access a notice of at most half of it when none is set', () => {
    expect(loadConfig({ ...MINIMAL, CONTRACTOR_ACCESS_SECONDS: '60' }).renewalNoticeSeconds).toBe(30);
  });

  it('refuses a MAIL_FROM that is not a plain address, naming it', () => {
    expect(failure({ ...MINIMAL, MAIL_FROM: 'Sandbox <no-reply@sandbox.example.gov>' }).message).toContain('MAIL_FROM');
  });

  it.each([
    ['RATE_LIMIT_EMAIL_COOLDOWN_SECONDS', 'abc'],
    ['RATE_LIMIT_EMAIL_PER_DAY', '-1'],
    ['RATE_LIMIT_IP_PER_HOUR', '1.5'],
    ['SPONSOR_REQUESTS_PER_DAY', '1e3'],
    ['VERIFICATION_TTL_SECONDS', '0x10'],
    ['APPROVAL_TTL_SECONDS', '99999999999999999999'],
    ['CONTRACTOR_ACCESS_DAYS', '0'],
    ['CONTRACTOR_ACCESS_SECONDS', '0'],
    ['SESSION_TTL_SECONDS', 'hour'],
    ['SESSION_TTL_SECONDS', '30'],
    ['SIGN_IN_METHOD', 'password'],
    ['SWEEP_INTERVAL_SECONDS', '0'],
    ['RATE_LIMIT_EMAIL_PER_DAY', '0'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(failure({ ...MINIMAL, [name]: value }).message).toContain(name);
  });

  it.each(['https://www.agency.gov/path', 'https://www.agency.gov/signup?x=1', 'www.agency.gov', '*', 'null'])(
    'refuses ALLOWED_ORIGINS entry %s',
    (entry) => {
      expect(failure({ ...MINIMAL, ALLOWED_ORIGINS: `https://ok.agency.gov,${entry}` }).message).toContain('ALLOWED_ORIGINS');
    },
  );

  it.each(['agency gov', 'http://blocked.gov', 'blocked.gov/x', '-bad.gov'])('refuses DENIED_DOMAINS entry %s', (entry) => {
    expect(failure({ ...MINIMAL, DENIED_DOMAINS: entry }).message).toContain('DENIED_DOMAINS');
  });

  it.each(['not a url', 'ftp://sandbox.example.gov', 'javascript:alert(1)'])('refuses BASE_URL %s', (value) => {
    expect(failure({ ...MINIMAL, BASE_URL: value }).message).toContain('BASE_URL');
  });

  it('throws a ConfigError, not a generic error', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
  });

  it.each([
    [{ ...MINIMAL, BASE_URL: 'nope' }, 'BASE_URL'],
    [{ ...MINIMAL, RATE_LIMIT_IP_PER_HOUR: '-1' }, 'RATE_LIMIT_IP_PER_HOUR'],
    [{ ...MINIMAL, SUPPORT_EMAIL: 'help desk' }, 'SUPPORT_EMAIL'],
    [{ TABLE_NAME: 'gatekeeper' }, 'MAIL_FROM'],
  ])('names the variable at fault in the error, for a deploy tool to trace: %j', (env, variable) => {
    expect(failure(env).variable).toBe(variable);
  });
});

describe('the .gov registry settings', () => {
  const base = { TABLE_NAME: 't', MAIL_FROM: 'no-reply@agency.gov' };

  it('admits every domain type by default, and the named ones (as the registry spells them) when listed', () => {
    expect(loadConfig(base)).toMatchObject({ govDomainTypes: [], sponsorGovDomainTypes: [] });
    expect(loadConfig({ ...base, GOV_DOMAIN_TYPES: 'federal - executive, Federal - Judicial' }).govDomainTypes).toEqual([
      'Federal - Executive',
      'Federal - Judicial',
    ]);
  });

  it('refuses a type the registry does not use, naming the variable', () => {
    expect(() => loadConfig({ ...base, SPONSOR_GOV_DOMAIN_TYPES: 'Federal, Municipal' })).toThrow(
      /SPONSOR_GOV_DOMAIN_TYPES holds "Municipal", which is not a \.gov registry domain type/,
    );
  });

  it('takes the registry only over https', () => {
    expect(loadConfig({ ...base, REGISTRY_URL: 'https://data.example/current-full.csv' }).registryUrl).toBe(
      'https://data.example/current-full.csv',
    );
    expect(() => loadConfig({ ...base, REGISTRY_URL: 'http://data.example/current-full.csv' })).toThrow(
      /REGISTRY_URL must be an https URL/,
    );
  });
});
