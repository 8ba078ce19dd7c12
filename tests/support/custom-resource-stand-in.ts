import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookSecretEvent } from '../../functions/handlers/webhook-secret';
import { type LoopbackServer, loopbackServer } from '../../infra/rehearsal/loopback-server';

export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:WebhookSecretF21E29CC-AbCdEf';

/**
 * One local HTTP server standing in for both ends of the webhook secret's custom step: Secrets
 * Manager (its JSON protocol: `x-amz-target: secretsmanager.PutSecretValue`) and CloudFormation's
 * pre-signed response URL (`PUT /response/…`). It records what each was sent.
 */
export class CustomResourceStandIn {
  readonly puts: { target: string; authorization: string; body: Record<string, unknown> }[] = [];
  readonly answers: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  /** Secrets Manager's answer to the next PutSecretValue: accepted, or this error. */
  refuse: { type: string; message: string } | undefined;
  /** The response URL's status (S3 answers 200). */
  answerStatus = 200;
  private server?: LoopbackServer;
  url = '';

  async start(): Promise<void> {
    this.server = await loopbackServer((req, raw, res) => {
      const body = raw.toString('utf8');
      if (req.method === 'PUT' && req.url?.startsWith('/response/')) {
        this.answers.push({ url: req.url, headers: req.headers, body });
        res.writeHead(this.answerStatus).end();
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      this.puts.push({ target, authorization: String(req.headers.authorization ?? ''), body: JSON.parse(body || '{}') });
      if (target !== 'secretsmanager.PutSecretValue' || this.refuse) {
        const refusal = this.refuse ?? { type: 'InvalidRequestException', message: `unexpected ${target}` };
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: refusal.type, message: refusal.message }));
        return;
      }
      const secretId = String(JSON.parse(body).SecretId);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: secretId, Name: secretId.split(':').at(-1), VersionId: 'v1' }));
    });
    this.url = this.server.origin;
  }

  /** A request as CloudFormation sends it, answering to this server. */
  event(requestType: 'Create' | 'Update' | 'Delete', options: { secretId?: string; physicalResourceId?: string } = {}): WebhookSecretEvent {
    const common = {
      ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:WebhookSecretFunction',
      ResponseURL: `${this.url}/response/${requestType}?X-Amz-Signature=abc`,
      StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/SandboxGatekeeper/0000',
      RequestId: `request-${requestType}`,
      LogicalResourceId: 'WebhookSecretValue',
      ResourceType: 'Custom::WebhookSecret',
      ResourceProperties: {
        ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:WebhookSecretFunction',
        SecretId: options.secretId ?? SECRET_ARN,
      },
    };
    const physicalResourceId = options.physicalResourceId ?? SECRET_ARN;
    if (requestType === 'Create') return { ...common, RequestType: 'Create' };
    if (requestType === 'Delete') return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalResourceId,
      OldResourceProperties: { ...common.ResourceProperties, SecretId: physicalResourceId },
    };
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
