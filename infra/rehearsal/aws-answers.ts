import { randomUUID } from 'node:crypto';

/**
 * What the rehearsal's AWS answers, in each service's own wire protocol, so the SDK raises the real
 * error or reads the real result: refusals, SES's throttling, CloudFormation's stack outputs and
 * STS's caller identity. Pure: text in, text out.
 */

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An error in the query protocol (SES v1, CloudFormation, STS). */
function queryError(status: number, code: string, message: string): Answer {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>rehearsal</RequestId></ErrorResponse>`,
  };
}

/** An error in the JSON protocol (DynamoDB 1.0, Secrets Manager 1.1, and the gateway's own refusals). */
export function jsonError(status: number, type: string, message: string, version = '1.1'): Answer {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: type, message, Message: message }),
  };
}

/** The refusal AWS sends for a denied call, in the service's own protocol. */
export function accessDenied(service: string, message: string): Answer {
  if (service === 'dynamodb') return jsonError(400, 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message, '1.0');
  if (service === 'secretsmanager') return jsonError(400, 'AccessDeniedException', message);
  return queryError(403, 'AccessDenied', message);
}

/** SES past its sending rate. */
export const sesThrottled = (): Answer => queryError(400, 'Throttling', 'Maximum sending rate exceeded.');

/** CloudFormation's DescribeStacks for the one stack, with its outputs. */
export function describeStacks(stackName: string, stackId: string, outputs: Readonly<Record<string, string>>): Answer {
  const members = Object.entries(outputs)
    .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`)
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackId>${stackId}</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`,
  };
}

/** STS's GetCallerIdentity for an assumed-role session. */
export function callerIdentity(sessionArn: string, sessionName: string, account: string): Answer {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${sessionArn}</Arn><UserId>AROA:${sessionName}</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}
