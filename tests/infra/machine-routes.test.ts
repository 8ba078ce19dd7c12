import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { apiGatewayPath } from '../../infra/function-specs';
import { machineRoutes } from '../../infra/sandbox-access';
import { CdkApps } from '../support/cdk-app';

const apps = new CdkApps();
afterAll(() => apps.removeAll());

type Resource = { Properties: Record<string, unknown> };
const resources = (template: Template, type: string) => Object.values(template.findResources(type) as Record<string, Resource>);

describe('the sandbox’s machine routes in the stack', () => {
  it('authorize the /v1 routes with IAM (SigV4) and no other route', () => {
    const template = Template.fromStack(apps.build().stack);
    const iam = resources(template, 'AWS::ApiGatewayV2::Route')
      .filter((route) => route.Properties.AuthorizationType === 'AWS_IAM')
      .map((route) => route.Properties.RouteKey);
    expect(iam.sort()).toEqual(machineRoutes.map((route) => `ANY ${apiGatewayPath(route)}`).sort());
    expect(iam).toEqual(expect.arrayContaining(['ANY /v1/accounts', 'ANY /v1/activity']));
  });

  it('with -c sandboxAccountId, make a role that account may assume, allowed to invoke exactly those routes and methods', () => {
    const template = Template.fromStack(apps.build({ sandboxAccountId: '444455556666' }).stack);
    const role = resources(template, 'AWS::IAM::Role').find((candidate) =>
      JSON.stringify(candidate.Properties.AssumeRolePolicyDocument).includes('444455556666'),
    );
    expect(role).toBeDefined();
    const statements = resources(template, 'AWS::IAM::Policy')
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement)
      .filter((statement) => statement.Action === 'execute-api:Invoke');
    expect(statements).toHaveLength(1);
    const arns = JSON.stringify(statements[0]!.Resource);
    expect([arns.includes('/$default/GET/v1/accounts'), arns.includes('/$default/POST/v1/activity'), arns.includes('*')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(Object.keys(template.toJSON().Outputs)).toEqual(expect.arrayContaining(['SandboxRoleArn', 'SandboxApiUrl']));
  });

  it('refuses a sandbox account id that is not one', () => {
    expect(() => apps.build({ sandboxAccountId: '1234' })).toThrow(/"sandboxAccountId" must be a 12-digit AWS account id/);
  });
});
