import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { costPer10k, PRICES, type Step } from '../../scripts/bench/cost';
import { fixedMonthly } from '../../scripts/bench/fixed-cost';

const noWork = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 };

describe('the bench’s cost model', () => {
  it('bills an answer at no less than its constant-time floor, as Lambda bills wall time', () => {
    const fast: Step = { name: 'POST /signup', ms: 20, work: noWork, emails: 0, floorMs: 350 };
    const slow: Step = { ...fast, ms: 500 };
    // 10,000 answers of 350 ms at 1 GB: 3,500 GB-s.
    expect(costPer10k([fast], 1024).gbSeconds).toBeCloseTo(3500, 6);
    expect(costPer10k([fast], 1024).lines['Lambda compute']).toBeCloseTo(3500 * PRICES.lambdaGbSecond, 9);
    expect(costPer10k([slow], 1024).gbSeconds).toBeCloseTo(5000, 6);
    expect(costPer10k([{ ...fast, floorMs: undefined }], 1024).gbSeconds).toBeCloseTo(200, 6);
  });

  it('adds what an idle deployment pays each month, counted from its template at the README’s prices', () => {
    const template = Template.fromJSON({
      Resources: {
        A1: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
        A2: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
        K: { Type: 'AWS::KMS::Key', Properties: {} },
        S: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
        W: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}, {}] } },
        F: { Type: 'AWS::Lambda::Function', Properties: {} },
      },
    });
    const fixed = fixedMonthly(template);
    expect(fixed.lines['CloudWatch alarms']).toEqual({ count: 2, dollars: 0.2 });
    expect(fixed.lines['AWS WAF rules']).toEqual({ count: 3, dollars: 3 });
    expect(fixed.total).toBeCloseTo(0.2 + 1 + 0.4 + 5 + 3, 9);
  });
});
