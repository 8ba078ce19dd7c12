import type { PolicyDocument } from './stack-model';

/** Who the IAM gateway serves: its callers, the emulators behind it, and the services it answers itself. */

/** Who may call: an access key handed to one function (or the operator) for its role. */
export interface Principal {
  /** The function's short name, or `operator`. */
  readonly caller: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly identityPolicies: readonly { name: string; policy: PolicyDocument }[];
}

export interface Upstreams {
  readonly dynamodb: string;
  readonly ses: string;
}

/** What the gateway serves itself: Secrets Manager (and the KMS use it implies) and the stack's outputs. */
export interface OwnServices {
  readonly secrets: Map<string, { value: string; version: number; kmsKeyArn?: string; resourcePolicy?: PolicyDocument }>;
  readonly keyPolicies: ReadonlyMap<string, PolicyDocument>;
  readonly outputs: Readonly<Record<string, string>>;
}
