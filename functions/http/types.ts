import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** API Gateway HTTP API payload v2: what Lambda receives in AWS and the local server builds. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };
export type LambdaHandler = (event: HttpEvent) => Promise<HttpResult>;

export type Format = 'html' | 'json';
