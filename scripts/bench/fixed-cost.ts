import type { Template } from 'aws-cdk-lib/assertions';

type Resource = { Properties?: Record<string, unknown> };
const all = (template: Template, type: string) => Object.values(template.findResources(type)) as Resource[];

/**
 * What a deployment costs a month before anyone uses it, counted from its synthesized template at
 * the us-east-1 list prices of the README's "Fixed monthly cost" table (the same counts and prices;
 * tests/infra/deploy-docs.test.ts keeps that table equal to the template). Keys are billed as in
 * their first year ($1 each; rotations add $1 a year for two years).
 */
export const FIXED_PRICES = {
  'CloudWatch alarms': { price: 0.1, count: (t: Template) => all(t, 'AWS::CloudWatch::Alarm').length },
  'KMS customer-managed keys': { price: 1, count: (t: Template) => all(t, 'AWS::KMS::Key').length },
  'Secrets Manager secrets': { price: 0.4, count: (t: Template) => all(t, 'AWS::SecretsManager::Secret').length },
  'AWS WAF web ACLs': { price: 5, count: (t: Template) => all(t, 'AWS::WAFv2::WebACL').length },
  'AWS WAF rules': {
    price: 1,
    count: (t: Template) =>
      all(t, 'AWS::WAFv2::WebACL').reduce((sum, acl) => sum + ((acl.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0),
  },
} as const;

export interface FixedMonthly {
  readonly lines: Record<string, { count: number; dollars: number }>;
  readonly total: number;
}

export function fixedMonthly(template: Template): FixedMonthly {
  const lines = Object.fromEntries(
    Object.entries(FIXED_PRICES).map(([label, { price, count }]) => {
      const n = count(template);
      return [label, { count: n, dollars: n * price }];
    }),
  );
  return { lines, total: Object.values(lines).reduce((sum, line) => sum + line.dollars, 0) };
}
