import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** API Gateway HTTP API payload v2: what Lambda receives in AWS and the local server builds. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };
/** Lambda always passes its context (the local server builds one); unit tests may leave it out. */
export type LambdaHandler = (event: HttpEvent, context?: Context) => Promise<HttpResult>;

export type Format = 'html' | 'json';
