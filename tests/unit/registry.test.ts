import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import {
  isRegistryDomain,
  parseRegistry,
  type RegisteredDomain,
  registryChanges,
  registryVerdict,
  shrinkProblem,
} from '../../functions/core/registry';

const SNAPSHOT = readFileSync(new URL('../../registry/current-full.csv', import.meta.url), 'utf8');
const ABOUT = JSON.parse(readFileSync(new URL('../../registry/SNAPSHOT.json', import.meta.url), 'utf8')) as { domains: number };

/** The same rows with the columns in reverse order (the registry renamed and moved columns within a year). */
function reversedColumns(csv: string): string {
  const rows = parse(csv, { bom: true }) as string[][];
  return stringify(rows.map((row) => [...row].reverse()));
}

describe('the .gov registry file', () => {
  it('reads the snapshot in the repository: every domain, by header name', () => {
    const parsed = parseRegistry(SNAPSHOT);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(parsed.domains.size).toBe(ABOUT.domains);
    expect(parsed.domains.get('gsa.gov')).toEqual({
      domain: 'gsa.gov',
      type: 'Federal - Executive',
      organization: 'General Services Administration',
      suborganization: 'Office of GSA IT',
    });
    const federal = [...parsed.domains.values()].filter((domain) => domain.type.startsWith('Federal'));
    expect(federal.length).toBe(1321);
  });

  it('reads a file whose columns are in another order identically', () => {
    const straight = parseRegistry(SNAPSHOT);
    const reordered = parseRegistry(reversedColumns(SNAPSHOT));
    if (!straight.ok || !reordered.ok) throw new Error('refused');
    expect(reordered.domains.size).toBe(ABOUT.domains);
    expect([...reordered.domains.entries()]).toEqual([...straight.domains.entries()]);
  });

  it('refuses a file without a needed column, naming it', () => {
    const [header, ...rows] = SNAPSHOT.split('\n');
    const withoutType = [header!.replace('Domain type', 'Kind'), ...rows].join('\n');
    expect(parseRegistry(withoutType)).toEqual({ ok: false, problem: 'the column "Domain type" is missing' });
  });

  it('refuses a load that shrank below 90 % of the last good one, and takes one that did not', () => {
    expect(shrinkProblem(8000, 10_000)).toBe('it lists 8000 domains, fewer than 90 % of the last good load (10000)');
    expect(shrinkProblem(9000, 10_000)).toBeUndefined();
    expect(shrinkProblem(5, undefined)).toBeUndefined();
  });

  it('skips rows that are not a second-level .gov name, and lower-cases domains', () => {
    const parsed = parseRegistry(
      'Domain name,Domain type,Organization name,Suborganization name\nGSA.GOV,Federal - Executive,GSA,\nit.gsa.gov,Federal - Executive,GSA,\nevil.com,City,Evil,\n',
    );
    expect(parsed.ok && [...parsed.domains.keys()]).toEqual(['gsa.gov']);
  });

  it('changes only what differs, and marks domains gone instead of deleting them', () => {
    const a = { domain: 'a.gov', type: 'City', organization: 'A' };
    const b = { domain: 'b.gov', type: 'City', organization: 'B' };
    const c = { domain: 'c.gov', type: 'County', organization: 'C' };
    const current = new Map<string, RegisteredDomain & { removedAt?: string }>([
      ['a.gov', a],
      ['b.gov', b],
      ['c.gov', { ...c, removedAt: '2030-01-01T00:00:00.000Z' }],
    ]);
    const next = new Map([
      ['a.gov', a],
      ['c.gov', c],
      ['d.gov', { domain: 'd.gov', type: 'Tribal', organization: 'D' }],
    ]);
    const changes = registryChanges(current, next);
    expect(changes.upserts.map((domain) => domain.domain).sort()).toEqual(['c.gov', 'd.gov']);
    expect(changes.removed).toEqual([b]);
    expect(registryChanges(next, next)).toEqual({ upserts: [], removed: [] });
  });
});

describe('what the registry says of an address', () => {
  const gsa = {
    domain: 'gsa.gov',
    type: 'Federal - Executive',
    organization: 'General Services Administration',
    suborganization: 'Office of GSA IT',
  };
  const city = { domain: '29palms.gov', type: 'City', organization: 'City of Twentynine Palms' };

  it('names the agency of a registered domain, and refuses one not listed or removed', () => {
    expect(registryVerdict(gsa, [])).toEqual({
      verdict: 'registered',
      agency: { organization: 'General Services Administration', suborganization: 'Office of GSA IT', domainType: 'Federal - Executive' },
    });
    expect(registryVerdict(undefined, [])).toEqual({ verdict: 'not_registered' });
    expect(registryVerdict({ ...gsa, removedAt: '2030-01-01T00:00:00.000Z' }, [])).toEqual({ verdict: 'not_registered' });
  });

  it('admits only the listed domain types when a deployment lists them', () => {
    const federal = ['Federal - Executive', 'Federal - Legislative', 'Federal - Judicial', 'Federal'];
    expect(registryVerdict(gsa, federal).verdict).toBe('registered');
    expect(registryVerdict(city, federal)).toEqual({ verdict: 'type_not_admitted', type: 'City' });
  });

  it('decides .gov addresses only: .mil and other allowed suffixes keep their suffix rule', () => {
    expect([isRegistryDomain('it.gsa.gov'), isRegistryDomain('army.mil'), isRegistryDomain('gov.example.com')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
