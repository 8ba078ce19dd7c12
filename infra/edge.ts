import { ArnFormat, CfnRule, Duration, Fn, type Stack, Token, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  SSLMethod,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { EDGE_SECRET_HEADER } from '../functions/http/edge';
import { routes } from '../functions/service/routes';
import { errorPage } from '../functions/views/error-page';

/** CloudFront's WAF web ACLs and viewer certificates live in this region only. */
export const EDGE_REGION = 'us-east-1';
/** Requests one client address may make in five minutes before the edge answers 429 (WAF's window). */
export const DEFAULT_EDGE_REQUESTS_PER_FIVE_MINUTES = 1000;

/**
 * How far above one client's WAF rate every API Gateway throttle stays. Those throttles are one
 * bucket per route shared by every client, so a throttle near one client's allowance would let
 * one client (or a few) fill it and shut everyone else out, whatever the WAF allows them.
 */
export const SHARED_THROTTLE_MARGIN = 10;

/** One client's steady rate under the WAF's rate rule, in requests per second (its window is five minutes). */
export function perClientRatePerSecond(requestsPerFiveMinutes: number): number {
  return requestsPerFiveMinutes / 300;
}

/**
 * The throttles (name → requests per second) below SHARED_THROTTLE_MARGIN times one client's WAF
 * rate, as a sentence to refuse the synth with; none when every one is well above it.
 */
export function throttlesTooCloseToWafRate(
  requestsPerFiveMinutes: number,
  throttles: Readonly<Record<string, number>>,
): string | undefined {
  const floor = SHARED_THROTTLE_MARGIN * perClientRatePerSecond(requestsPerFiveMinutes);
  const low = Object.entries(throttles).filter(([, rate]) => rate < floor);
  if (!low.length) return undefined;
  return (
    `API Gateway's throttles are shared by every client: each must be at least ${SHARED_THROTTLE_MARGIN}× one client's WAF rate ` +
    `("edgeRequestsPerFiveMinutes" ${requestsPerFiveMinutes} = ${perClientRatePerSecond(requestsPerFiveMinutes).toFixed(2)}/s, so ${Math.ceil(floor)}/s), ` +
    `but ${low.map(([name, rate]) => `${name} is ${rate}/s`).join(', ')}`
  );
}

/** The request headers the handlers read, and the one CloudFront adds that names the viewer. */
export const FORWARDED_HEADERS = [
  'Accept',
  'Content-Type',
  'Origin',
  'Sec-Fetch-Site',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'CloudFront-Viewer-Address',
] as const;

/** The managed rule groups every request passes, in order after the per-client rate rule. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

export interface EdgeSettings {
  /** The API's custom domain: the origin CloudFront connects to (its DNS name must point to the API). */
  readonly originDomainName: string;
  /** The public name people use, and its certificate (in us-east-1). */
  readonly domainName: string;
  readonly certificateArn: string;
  readonly requestsPerFiveMinutes: number;
  readonly logRetention: RetentionDays;
}

export interface Edge {
  readonly distribution: Distribution;
  readonly webAcl: CfnWebACL;
  /** The value CloudFront adds to each origin request; the HTTP functions refuse requests without it. */
  readonly originSecret: Secret;
  /** Lets a function's role read the value (GetSecretValue alone: nothing describes the secret). */
  grantRead(role: IRole): void;
}

/**
 * CloudFront with AWS WAF in front of the API: a rate-based rule per client address, Amazon's
 * IP reputation list, the common rule set and known bad inputs; TLS 1.2+ to viewers and to the
 * origin; nothing cached but the fingerprinted assets. The origin is the API's custom domain
 * with its `execute-api` endpoint disabled, and every origin request carries a secret header,
 * so a request that skips the edge is refused by the functions themselves.
 */
export function edgeIn(stack: Stack, settings: EdgeSettings): Edge {
  if (!Token.isUnresolved(stack.region) && stack.region !== EDGE_REGION) {
    throw new Error(
      `The edge option (CloudFront with AWS WAF) deploys in ${EDGE_REGION}, where CloudFront's WAF lives; this stack is in ${stack.region}`,
    );
  }
  new CfnRule(stack, 'EdgeRegion', {
    assertions: [
      {
        assert: Fn.conditionEquals(stack.region, EDGE_REGION),
        assertDescription: `The edge option (CloudFront with AWS WAF) deploys in ${EDGE_REGION}, where CloudFront's WAF lives`,
      },
    ],
  });

  const originSecret = new Secret(stack, 'EdgeOriginSecret', {
    description: 'Sandbox Gatekeeper: the header value CloudFront adds to every request it forwards to the API',
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  Validations.of(originSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'A marker, not a credential: it protects no data and only lets a request past the WAF to the same public handlers, which still apply their per-client and per-recipient limits. CloudFront and every function must change it together, so it is not rotated automatically.',
  });

  const webAcl = new CfnWebACL(stack, 'EdgeFirewall', {
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('SandboxGatekeeperEdge'),
    customResponseBodies: {
      'rate-limited': {
        contentType: 'TEXT_HTML',
        content: rateLimitedPage(),
      },
    },
    rules: [
      {
        name: 'PerClientRate',
        priority: 0,
        statement: { rateBasedStatement: { limit: settings.requestsPerFiveMinutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        action: {
          block: {
            customResponse: {
              responseCode: 429,
              customResponseBodyKey: 'rate-limited',
              responseHeaders: [{ name: 'Retry-After', value: '300' }],
            },
          },
        },
        visibilityConfig: visibility('PerClientRate'),
      },
      ...MANAGED_RULE_GROUPS.map((name, index) => ({
        name,
        priority: index + 1,
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        overrideAction: { none: {} },
        visibilityConfig: visibility(name),
      })),
    ],
  });

  // WAF logs every request at the edge with its query string redacted: one-time tokens travel
  // there. (CloudFront's own access logs would record them in full: not enabled, see below.)
  const wafLogs = new LogGroup(stack, 'EdgeFirewallLogs', {
    logGroupName: `aws-waf-logs-${stack.stackName}`,
    retention: settings.logRetention,
  });
  new CfnLoggingConfiguration(stack, 'EdgeFirewallLogging', {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: wafLogs.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
    redactedFields: [{ queryString: {} }],
  });

  const origin = new HttpOrigin(settings.originDomainName, {
    protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    // A dynamic reference CloudFormation resolves into the distribution's configuration; the
    // functions read the secret themselves at start, so the value is in no function's environment.
    customHeaders: { [EDGE_SECRET_HEADER]: originSecret.secretValue.unsafeUnwrap() },
    readTimeout: Duration.seconds(30),
  });
  // Not the managed all-viewer policies: the Host header must stay the origin's (API Gateway maps
  // custom domains by it), and the handlers need only these headers and the query string.
  const forward = new OriginRequestPolicy(stack, 'EdgeForward', {
    comment: 'Sandbox Gatekeeper: the headers the handlers read, the viewer address, the query string',
    headerBehavior: OriginRequestHeaderBehavior.allowList(...FORWARDED_HEADERS),
    queryStringBehavior: OriginRequestQueryStringBehavior.all(),
  });
  const assets = routes.find((route) => route.handler === 'assets')!;
  const distribution = new Distribution(stack, 'Edge', {
    comment: 'Sandbox Gatekeeper',
    domainNames: [settings.domainName],
    certificate: Certificate.fromCertificateArn(stack, 'EdgeCertificate', settings.certificateArn),
    minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
    sslSupportMethod: SSLMethod.SNI,
    httpVersion: HttpVersion.HTTP2_AND_3,
    priceClass: PriceClass.PRICE_CLASS_100,
    webAclId: webAcl.attrArn,
    defaultBehavior: {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: forward,
    },
    additionalBehaviors: {
      // Fingerprinted file names: safe to cache at the edge, and spared the origin's throttle.
      [`${assets.path}/*`]: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
    },
  });
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'Agency staff and contractors work from abroad too (embassies, bases, travel); eligibility is decided by the email address, not by location.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'CloudFront access logs record query strings in full, and one-time tokens travel there. Every request is logged instead by AWS WAF with the query string redacted (EdgeFirewallLogs) and by the API access log, which never records query strings.',
    },
  );
  const grantRead = (role: IRole) =>
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [originSecret.secretArn] }));
  return { distribution, webAcl, originSecret, grantRead };
}

function visibility(metricName: string) {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** The service's own error page; WAF sends it as is (at most 4 KB), so it stays short. */
export function rateLimitedPage(): string {
  return errorPage({ code: 'rate_limited', message: 'Too many requests came from your network. Try again in a few minutes.' });
}
