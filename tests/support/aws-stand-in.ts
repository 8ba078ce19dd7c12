import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * CloudFormation's DescribeStacks (one stack, with its outputs) and STS's GetCallerIdentity (one
 * caller), in their query protocol: what `npm run admin -- --stack` asks AWS before it acts.
 * Records every action asked.
 */
export async function awsStandIn(options: { stackName: string; outputs: Record<string, string>; callerArn: string }) {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const params = new URLSearchParams(body);
      asked.push(params.get('Action') ?? '');
      if (params.get('Action') === 'DescribeStacks' && params.get('StackName') !== options.stackName) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${escapeXml(params.get('StackName') ?? '')} does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      if (params.get('Action') === 'GetCallerIdentity') {
        res.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${options.callerArn}</Arn><UserId>AROAEXAMPLE:operator</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
        return;
      }
      const members = Object.entries(options.outputs)
        .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`)
        .join('');
      res.end(
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${options.stackName}</StackName><StackId>arn:aws:cloudformation:us-east-1:111122223333:stack/${options.stackName}/1</StackId><CreationTime>2030-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    asked,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
