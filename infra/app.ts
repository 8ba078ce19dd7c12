import { App } from 'aws-cdk-lib';
import { GatekeeperStack, type GatekeeperSettings } from './gatekeeper-stack';

/** CDK entry: settings come from cdk.json context, overridable with `-c name=value`. */
const app = new App();

function context(name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function requiredContext(name: string): string {
  const value = context(name);
  if (!value) throw new Error(`Context value "${name}" is required (cdk.json or -c ${name}=...)`);
  return value;
}

const settings: GatekeeperSettings = {
  mailFrom: requiredContext('mailFrom'),
  sesIdentity: requiredContext('sesIdentity'),
  ...Object.fromEntries(
    (['baseUrl', 'allowedOrigins', 'allowedDomainSuffixes', 'deniedDomains', 'sandboxUrl'] as const)
      .map((name) => [name, context(name)])
      .filter(([, value]) => value !== undefined),
  ),
};

new GatekeeperStack(app, 'SandboxGatekeeper', {
  settings,
  description: 'Sandbox Gatekeeper: .gov/.mil self sign-up with email verification',
});
