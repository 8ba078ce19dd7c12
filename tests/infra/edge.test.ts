import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_SECRET_HEADER } from '../../functions/http/edge';
import { loadConfig } from '../../functions/service/config';
import { DEFAULT_EDGE_REQUESTS_PER_FIVE_MINUTES, edgeIn, MANAGED_RULE_GROUPS, rateLimitedPage } from '../../infra/edge';
import { eventHandlers, handlers } from '../../infra/function-specs';
import { CdkApps } from '../support/cdk-app';

const CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';
const EDGE = {
  edge: 'true',
  domainName: 'origin.sandbox.agency.gov',
  certificateArn: CERTIFICATE,
  edgeDomainName: 'sandbox.agency.gov',
};
const apps = new CdkApps();
const root = fileURLToPath(new URL('../../', import.meta.url));
const checkingEdge = (Object.keys(handlers) as (keyof typeof handlers)[]).filter((name) =>
  (handlers[name].uses as readonly string[]).includes('edge-secret'),
);

type Resource = { Properties: Record<string, unknown> };
let template: Template;
let plain: Template;

beforeAll(() => {
  template = Template.fromStack(apps.build(EDGE).stack);
  plain = Template.fromStack(apps.build({ domainName: EDGE.domainName, certificateArn: CERTIFICATE }).stack);
});
afterAll(() => apps.removeAll());

const only = (tpl: Template, type: string): Resource => {
  const found = Object.values(tpl.findResources(type)) as Resource[];
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const logicalIdOf = (tpl: Template, type: string) => Object.keys(tpl.findResources(type))[0]!;
const edgeSecretRef = (tpl: Template) => {
  const ids = Object.entries(tpl.findResources('AWS::SecretsManager::Secret'))
    .filter(([, secret]) => String((secret as Resource).Properties.Description).includes('CloudFront adds'))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: ids[0] }, ':SecretString:::}}']] } as const;
};

describe('the edge option (-c edge=true)', () => {
  it('synthesizes offline with cdk-nag clean', () => {
    expect(() => apps.build(EDGE).app.synth()).not.toThrow();
  });

  it('disables the execute-api endpoint, so the API answers only on the custom domain the edge connects to', () => {
    expect(only(template, 'AWS::ApiGatewayV2::Api').Properties.DisableExecuteApiEndpoint).toBe(true);
    expect(only(plain, 'AWS::ApiGatewayV2::Api').Properties.DisableExecuteApiEndpoint).not.toBe(true);
  });

  it('puts a WAF web ACL in front: a rate limit per client address first, then the managed rule groups', () => {
    const acl = only(template, 'AWS::WAFv2::WebACL').Properties as {
      Scope: string;
      DefaultAction: unknown;
      Rules: { Name: string; Priority: number; Statement: Record<string, Record<string, unknown>>; Action?: unknown }[];
    };
    expect([acl.Scope, acl.DefaultAction]).toEqual(['CLOUDFRONT', { Allow: {} }]);
    const ordered = [...acl.Rules].sort((a, b) => a.Priority - b.Priority);
    expect(ordered[0]!.Statement.RateBasedStatement).toMatchObject({
      Limit: DEFAULT_EDGE_REQUESTS_PER_FIVE_MINUTES,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    expect(ordered[0]!.Action).toEqual({
      Block: {
        CustomResponse: {
          ResponseCode: 429,
          CustomResponseBodyKey: 'rate-limited',
          ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
        },
      },
    });
    expect(ordered.slice(1).map((rule) => rule.Statement.ManagedRuleGroupStatement?.Name)).toEqual([...MANAGED_RULE_GROUPS]);
    expect(MANAGED_RULE_GROUPS).toContain('AWSManagedRulesCommonRuleSet');
  });

  it('answers the rate limit with the service’s own page, within WAF’s 4 KB for a custom body', () => {
    const page = rateLimitedPage();
    expect(page).toContain('Too many requests');
    expect(Buffer.byteLength(page, 'utf8')).toBeLessThanOrEqual(4096);
  });

  it('takes the rate from edgeRequestsPerFiveMinutes', () => {
    const tuned = Template.fromStack(apps.build({ ...EDGE, edgeRequestsPerFiveMinutes: 300 }).stack);
    tuned.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 300 }) } })]),
    });
  });

  it('sizes every API Gateway throttle, one bucket shared by all clients, at least 10× one client’s WAF rate', () => {
    const acl = only(template, 'AWS::WAFv2::WebACL').Properties as { Rules: { Statement: { RateBasedStatement?: { Limit: number } } }[] };
    const perClient = acl.Rules.find((rule) => rule.Statement.RateBasedStatement)!.Statement.RateBasedStatement!.Limit / 300;
    const stage = only(template, 'AWS::ApiGatewayV2::Stage').Properties as {
      DefaultRouteSettings: { ThrottlingRateLimit: number };
      RouteSettings: Record<string, { ThrottlingRateLimit: number }>;
    };
    const rates: [string, number][] = [
      ['$default', stage.DefaultRouteSettings.ThrottlingRateLimit],
      ...Object.entries(stage.RouteSettings).map(([route, settings]): [string, number] => [route, settings.ThrottlingRateLimit]),
    ];
    expect(rates.length).toBeGreaterThan(20);
    expect(rates.filter(([, rate]) => rate < 10 * perClient)).toEqual([]);
  });

  it.each([
    [{ edgeRequestsPerFiveMinutes: 3000 }, /"edgeRequestsPerFiveMinutes" 3000 = 10\.00\/s, so 100\/s\), but .*\/healthz is 50\/s/],
    [{ throttleRatePerSecond: 20 }, /at least 10× one client's WAF rate .* but the stage default \("throttleRatePerSecond"\) is 20\/s/],
  ])('refuses a WAF rate the shared throttles are not well above: %j', (context, message) => {
    expect(() => apps.build({ ...EDGE, ...context })).toThrow(message);
  });

  it('logs every request at the edge with the query string (where tokens travel) redacted', () => {
    const logging = only(template, 'AWS::WAFv2::LoggingConfiguration').Properties;
    expect(logging.RedactedFields).toEqual([{ QueryString: {} }]);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') });
    const distribution = only(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<string, unknown>;
    expect(distribution.Logging, 'CloudFront access logs would keep tokens').toBeUndefined();
  });

  it('serves the public name over TLS 1.2+, reaches the origin over TLS 1.2 with the secret header, behind the ACL', () => {
    const config = only(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
      Aliases: string[];
      ViewerCertificate: Record<string, unknown>;
      WebACLId: unknown;
      Origins: {
        DomainName: string;
        CustomOriginConfig: Record<string, unknown>;
        OriginCustomHeaders: { HeaderName: string; HeaderValue: unknown }[];
      }[];
      DefaultCacheBehavior: Record<string, unknown>;
    };
    expect(config.Aliases).toEqual([EDGE.edgeDomainName]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::WAFv2::WebACL'), 'Arn'] });
    expect(config.Origins).toHaveLength(1);
    const [origin] = config.Origins;
    expect(origin!.DomainName).toBe(EDGE.domainName);
    expect(origin!.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(origin!.OriginCustomHeaders).toEqual([{ HeaderName: EDGE_SECRET_HEADER, HeaderValue: edgeSecretRef(template) }]);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('forwards the viewer address and what the handlers read, but not Host (API Gateway maps its domain by it)', () => {
    const policy = only(template, 'AWS::CloudFront::OriginRequestPolicy').Properties.OriginRequestPolicyConfig as {
      HeadersConfig: { HeaderBehavior: string; Headers: string[] };
      QueryStringsConfig: { QueryStringBehavior: string };
    };
    expect(policy.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(policy.HeadersConfig.Headers).toEqual(expect.arrayContaining(['CloudFront-Viewer-Address', 'Origin', 'Content-Type', 'Accept']));
    expect(policy.HeadersConfig.Headers.map((name) => name.toLowerCase())).not.toContain('host');
    expect(policy.QueryStringsConfig.QueryStringBehavior).toBe('all');
  });

  it('names the edge secret to the HTTP functions that check the edge, never its value; the others not even its name', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Resource[];
    const secretId = edgeSecretRef(template)['Fn::Join'][1][1] as { Ref: string };
    const httpDescriptions = new Set<string>(Object.values(handlers).map((spec) => spec.description));
    const eventDescriptions = new Set<string>(Object.values(eventHandlers).map((spec) => spec.description));
    const named: string[] = [];
    for (const fn of functions) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const description = fn.Properties.Description as string;
      expect(JSON.stringify(variables), description).not.toContain('resolve:secretsmanager');
      expect(Object.keys(variables), description).not.toContain('EDGE_ORIGIN_SECRET');
      if (variables.EDGE_ORIGIN_SECRET_ARN !== undefined) {
        expect(variables.EDGE_ORIGIN_SECRET_ARN, description).toEqual(secretId);
        named.push(description);
      }
      expect(httpDescriptions.has(description) || eventDescriptions.has(description), description).toBe(true);
      expect(variables.BASE_URL).toBe(`https://${EDGE.edgeDomainName}`);
    }
    expect(named.sort()).toEqual(checkingEdge.map((name) => handlers[name].description).sort());
  });

  it('gives the edge secret to exactly the handlers whose adapter refuses what skipped the edge', () => {
    // The shared HTTP options carry the edge check; the machine routes (SigV4, never through
    // CloudFront) turn it off, and the fallback answers 404/405 without them, doing no work.
    const plainOptions = Object.entries(handlers)
      .filter(([, spec]) => /^\s*httpOptions,$/m.test(readFileSync(join(root, spec.entry), 'utf8')))
      .map(([name]) => name);
    expect([...checkingEdge].sort()).toEqual(plainOptions.sort());
    expect(checkingEdge).not.toContain('machine');
    expect(checkingEdge).toHaveLength(10);
  });

  it('lets exactly those functions’ roles read the edge secret (GetSecretValue alone)', () => {
    const secretId = (edgeSecretRef(template)['Fn::Join'][1][1] as { Ref: string }).Ref;
    const readers = Object.entries(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).flatMap(([id, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.filter((statement) =>
        JSON.stringify(statement.Resource).includes(`"${secretId}"`),
      ).map((statement) => [id.replace(/FunctionRoleDefaultPolicy.*$/, ''), statement.Action]),
    );
    expect(readers.map(([role]) => String(role).toLowerCase()).sort()).toEqual(checkingEdge.map((name) => name.toLowerCase()).sort());
    for (const [, action] of readers) expect(action).toBe('secretsmanager:GetSecretValue');
  });

  it('deploys only in us-east-1: refused at synth when the region is known, and by a template rule when it is not', () => {
    template.templateMatches({
      Rules: { EdgeRegion: { Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } }] } },
    });
    const elsewhere = new Stack(new App(), 'Elsewhere', { env: { region: 'us-west-2', account: '111122223333' } });
    expect(() =>
      edgeIn(elsewhere, {
        originDomainName: EDGE.domainName,
        domainName: EDGE.edgeDomainName,
        certificateArn: CERTIFICATE,
        requestsPerFiveMinutes: 100,
        logRetention: RetentionDays.ONE_MONTH,
      }),
    ).toThrow(/us-east-1/);
  });

  it('names the public URL and where each DNS name must point', () => {
    const outputs = template.findOutputs('*');
    expect(outputs.ServiceUrl?.Value).toBe(`https://${EDGE.edgeDomainName}`);
    expect(outputs.EdgeDomainTarget).toBeDefined();
    expect(outputs.CustomDomainTarget).toBeDefined();
    expect(outputs.ApiUrl, 'the execute-api URL answers nothing behind the edge').toBeUndefined();
  });

  it('the stack without the option has no CloudFront, no WAF and no edge secret', () => {
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::WAFv2::WebACL']) expect(plain.findResources(type)).toEqual({});
    for (const fn of Object.values(plain.findResources('AWS::Lambda::Function')) as Resource[]) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.EDGE_ORIGIN_SECRET_ARN).toBeUndefined();
    }
  });

  it('passes the functions’ own loader with the secret named', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:EdgeOriginSecret-AbCdEf';
    const config = loadConfig({ MAIL_FROM: 'no-reply@sandbox.agency.gov', TABLE_NAME: 't', EDGE_ORIGIN_SECRET_ARN: arn });
    expect(config.edgeOriginSecretArn).toBe(arn);
  });
});

describe('edge settings from context', () => {
  it.each([
    [{ edge: 'yes' }, /"edge" must be true or false/],
    [{ edge: 'true' }, /needs the API's custom domain/],
    [{ ...EDGE, edgeDomainName: undefined }, /needs "edgeDomainName"/],
    [{ ...EDGE, edgeDomainName: EDGE.domainName }, /must differ/],
    [{ ...EDGE, edgeCertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' }, /certificates from us-east-1.*eu-west-1/],
    [{ ...EDGE, edgeRequestsPerFiveMinutes: 5 }, /at least 10/],
    [{ edgeDomainName: 'sandbox.agency.gov' }, /"edgeDomainName" is used only with the edge option/],
  ])('refuses %j at synth', (context, message) => {
    expect(() => apps.build(context)).toThrow(message);
  });
});
