import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookSecretEvent } from '../../functions/handlers/webhook-secret';

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
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
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
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
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
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
