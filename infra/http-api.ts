import { type Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, DomainName, HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { fallbackHandler, type HandlerName, type Route, routes } from '../functions/service/routes';
import { apiGatewayPath } from './function-specs';
import type { GatekeeperSettings } from './gatekeeper-stack';

/** The stage's throttle for what no route names (the fallback), unless throttleRatePerSecond and throttleBurst say otherwise. */
export const DEFAULT_THROTTLE = { rate: 50, burst: 100 } as const;

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

/**
 * The HTTP API: one route per route-table path (ANY: the handlers answer HEAD, OPTIONS and 405
 * themselves, as locally), the fallback for the rest, each route's own throttle, JSON access
 * logs without query strings, and the optional custom domain. Created in the stack's own scope,
 * so the resources keep their logical ids.
 */
export function httpApiIn(
  stack: Stack,
  settings: GatekeeperSettings,
  functions: ReadonlyMap<HandlerName, IFunction>,
  logRetention: RetentionDays,
): { api: HttpApi; stage: HttpStage; domain: DomainName | undefined } {
  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', { retention: logRetention });
  const domain =
    settings.domainName && settings.certificateArn
      ? new DomainName(stack, 'Domain', {
          domainName: settings.domainName,
          certificate: Certificate.fromCertificateArn(stack, 'Certificate', settings.certificateArn),
        })
      : undefined;
  const integrationOf = (name: HandlerName) => new HttpLambdaIntegration(`${name}Integration`, functions.get(name)!);
  const api = new HttpApi(stack, 'Api', {
    description: 'Sandbox Gatekeeper',
    defaultIntegration: integrationOf(fallbackHandler),
    createDefaultStage: false,
    // Behind the edge the API answers only on its custom domain, which CloudFront connects to.
    disableExecuteApiEndpoint: settings.edge !== undefined,
  });
  const stage = api.addStage('DefaultStage', {
    stageName: '$default',
    autoDeploy: true,
    throttle: {
      rateLimit: settings.throttleRatePerSecond ?? DEFAULT_THROTTLE.rate,
      burstLimit: settings.throttleBurst ?? DEFAULT_THROTTLE.burst,
    },
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
      // The sandbox's routes: only SigV4-signed callers allowed execute-api:Invoke get through.
      ...((route as Route).auth === 'iam' ? { authorizer: new HttpIamAuthorizer() } : {}),
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
  return { api, stage, domain };
}
