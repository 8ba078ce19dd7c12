import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { controlPlaneHandler } from '../functions/wiring/aws-clients';
import { TargetError } from './target';

/**
 * Who the operator is in AWS: the caller's ARN, as STS names it (an assumed role's session, a
 * user). The audit entry carries this, never a name the operator types.
 */
export async function callerArn(region: string | undefined): Promise<string> {
  const client = new STSClient({ ...(region ? { region } : {}), requestHandler: controlPlaneHandler() });
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    if (!Arn) throw new TargetError('AWS did not say who you are (GetCallerIdentity returned no ARN).');
    return Arn;
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw new TargetError(`Could not ask AWS who you are (STS GetCallerIdentity): ${(error as Error)?.message ?? String(error)}`);
  } finally {
    client.destroy();
  }
}
