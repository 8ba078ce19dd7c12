import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_PRICES } from '../../scripts/bench/fixed-cost';
import { CdkApps } from '../support/cdk-app';

/** The README's deploy section against the stack it describes: its fixed monthly cost and its alarm runbook. */
const apps = new CdkApps();
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const OPTIONS = {
  webhookUrl: 'https://sandbox.agency.gov/hooks/gatekeeper',
  oidcIssuer: 'https://idp.int.identitysandbox.gov',
  oidcClientId: 'urn:gov:gsa:openidconnect.profiles:sp:sso:agency:gatekeeper',
  edge: 'true',
  domainName: 'origin.sandbox.agency.gov',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000',
  edgeDomainName: 'sandbox.agency.gov',
};
let minimal: Template;
let everything: Template;

beforeAll(() => {
  minimal = Template.fromStack(apps.build().stack);
  everything = Template.fromStack(apps.build(OPTIONS).stack);
});
afterAll(() => apps.removeAll());

/** What has a fixed monthly price, by the README's row, with that price in dollars: the bench's own table. */
const PRICED = FIXED_PRICES;

/** The cells of the README row that starts with `label`. */
function row(label: string): string[] {
  const line = readme.split('\n').find((candidate) => candidate.startsWith(`| ${label}`));
  expect(line, label).toBeDefined();
  return line!
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

describe('the README’s fixed monthly cost', () => {
  it('counts what the template makes: every deploy, and what the options add', () => {
    for (const [label, { count }] of Object.entries(PRICED)) {
      const [, , always, ...added] = row(label).map(Number);
      expect(always, label).toBe(count(minimal));
      expect(
        added.reduce((sum, n) => sum + n, 0),
        label,
      ).toBe(count(everything) - count(minimal));
    }
  });

  it('adds up, at those prices', () => {
    const money = (dollars: number) => `$${dollars.toFixed(2)}`;
    const totals = [0, 0, 0, 0];
    for (const [label, { price }] of Object.entries(PRICED)) {
      row(label)
        .slice(2)
        .map(Number)
        .forEach((n, column) => {
          totals[column]! += n * price;
        });
    }
    expect(row('**total, first year**').slice(2)).toEqual([
      `**${money(totals[0]!)}**`,
      ...totals.slice(1).map((total) => `**+${money(total)}**`),
    ]);
  });
});

describe('the README’s alarm runbook', () => {
  const runbook = () => {
    const start = readme.indexOf('| alarm | fires when | what to do |');
    return readme
      .slice(start, readme.indexOf('\n\n', start))
      .split('\n')
      .slice(2)
      .map((line) => /^\| `([^`]+)`/.exec(line)?.[1]);
  };
  const alarmNames = () =>
    [
      ...new Set(
        Object.keys(everything.findResources('AWS::CloudWatch::Alarm')).map((id) => id.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, '')),
      ),
    ].map((name) => name.replace(/^\w+Function(Errors|Throttles)$/, '<Function>$1'));

  it('has a line for every alarm the stack makes, and none for an alarm it does not', () => {
    const documented = runbook();
    expect([...new Set(alarmNames())].sort()).toEqual([...documented].sort());
  });
});
