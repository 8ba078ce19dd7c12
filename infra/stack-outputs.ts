import { CfnOutput, type Stack } from 'aws-cdk-lib';

/**
 * Where the service answers and where DNS must point: through the edge (its public name and the
 * distribution to alias it to), else the API's own URL; and the custom domain's regional target.
 */
export function addressOutputsIn(
  stack: Stack,
  props: {
    readonly stageUrl: string;
    readonly edge?: { readonly domainName: string; readonly target: string };
    readonly domain?: { readonly domainName: string; readonly target: string };
  },
): void {
  if (props.edge) {
    new CfnOutput(stack, 'ServiceUrl', { value: `https://${props.edge.domainName}`, description: 'The sign-up page, through the edge' });
    new CfnOutput(stack, 'EdgeDomainTarget', {
      value: props.edge.target,
      description: `Point ${props.edge.domainName} (CNAME or alias) here`,
    });
  } else {
    new CfnOutput(stack, 'ApiUrl', { value: props.stageUrl, description: 'The sign-up page (unless a custom domain fronts the API)' });
  }
  if (props.domain) {
    new CfnOutput(stack, 'CustomDomainTarget', {
      value: props.domain.target,
      description: `Point ${props.domain.domainName} (CNAME or alias) here${props.edge ? ': the edge connects to it by this name' : ''}`,
    });
  }
}
