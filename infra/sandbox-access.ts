import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccountPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { type Route, routes } from '../functions/service/routes';

/** The machine routes (`/v1/…`): API Gateway lets only SigV4-signed callers with `execute-api:Invoke` on them through. */
export const machineRoutes = (routes as readonly Route[]).filter((route) => route.auth === 'iam');

/**
 * The sandbox's access to its routes: a role its AWS account (`-c sandboxAccountId`) may assume,
 * allowed to invoke exactly those routes with exactly their methods, and where to call them (the
 * API's own address: the edge does not pass SigV4 through, and the sandbox is no browser).
 */
export function sandboxAccessIn(stack: Stack, props: { api: HttpApi; stage: HttpStage; domainName?: string; accountId: string }): Role {
  const role = new Role(stack, 'SandboxRole', {
    description: 'The sandbox: reads the roster and reports activity on the Sandbox Gatekeeper machine routes (SigV4)',
    assumedBy: new AccountPrincipal(props.accountId),
  });
  role.addToPolicy(
    new PolicyStatement({
      actions: ['execute-api:Invoke'],
      resources: machineRoutes.flatMap((route) =>
        route.methods.map((method) => props.api.arnForExecuteApi(method, route.path, '$default')),
      ),
    }),
  );
  new CfnOutput(stack, 'SandboxRoleArn', {
    value: role.roleArn,
    description: 'The sandbox assumes this role to call /v1/accounts and /v1/activity',
  });
  new CfnOutput(stack, 'SandboxApiUrl', {
    value: props.domainName ? `https://${props.domainName}` : props.stage.url,
    description: 'Where the sandbox calls the machine routes, signing for execute-api',
  });
  return role;
}
