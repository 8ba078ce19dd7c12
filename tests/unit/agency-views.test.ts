import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { accountRow, agencyCell, render } from '../../admin/output';
import type { Account, ContractorSummary } from '../../functions/core/account';
import { CHANGES } from '../../functions/core/changes';
import { type Email, storedEmail } from '../../functions/core/email';
import type { Agency } from '../../functions/core/registry';
import { contractorSummary } from '../../functions/core/sponsorship';
import type { SponsoredContractor } from '../../functions/use-cases/manage-contractors';
import { renderEmail } from '../../functions/views/emails';
import { agencyInSentence, agencyName } from '../../functions/views/format';
import { dashboardPage } from '../../functions/views/sponsor-pages';
import { reviewPage } from '../../functions/views/sponsorship-pages';

/** The agency a request is made under, shown to the sponsor in their pages and emails and to the operator. */

const GSA: Agency = {
  organization: 'General Services Administration',
  suborganization: 'Office of GSA IT',
  domainType: 'Federal - Executive',
};
const DOD: Agency = { organization: 'Department of Defense', domainType: 'Military' };
const LINK = { url: 'https://sandbox.example.gov/sponsorships/review?token=abc', expiresAt: 1_900_000_000 };

const REQUEST: ContractorSummary = {
  name: 'Casey Contractor',
  email: 'casey@acme.com',
  company: 'Acme',
  justification: 'Integration work.',
  requestedAt: '2030-01-15T12:00:00.000Z',
};

const ROW: SponsoredContractor = {
  requestId: 'req-1',
  email: 'casey@acme.com',
  name: 'Casey Contractor',
  company: 'Acme',
  agency: GSA,
  status: 'active',
  approvedAt: '2030-01-15T12:00:00.000Z',
  accessExpiresAt: '2030-04-15T12:00:00.000Z',
};

const contractor = (extra: Partial<Account> = {}): Account => ({
  email: 'casey@acme.com',
  kind: 'contractor',
  status: 'pending',
  createdAt: '2030-01-15T12:00:00.000Z',
  updatedAt: '2030-01-15T12:00:00.000Z',
  requestId: 'req-1',
  request: {
    id: 'req-1',
    company: 'Acme',
    sponsorEmail: 'pat@it.gsa.gov',
    justification: 'Integration work.',
    requestedAt: '2030-01-15T12:00:00.000Z',
  },
  history: [],
  version: 1,
  ...extra,
});

/** The text of the element that carries `data-fact="name"`, if any. */
const fact = (page: string, name: string) => new RegExp(`<[a-z]+ data-fact="${name}">([^<]*)<`).exec(page)?.[1];

describe('how an agency is named', () => {
  it.each<[Agency, string, string]>([
    [GSA, 'General Services Administration (Office of GSA IT)', 'the General Services Administration (Office of GSA IT)'],
    [DOD, 'Department of Defense', 'the Department of Defense'],
    [{ organization: 'fed.us', domainType: 'Allowed suffix' }, 'fed.us', 'fed.us'],
    [{ organization: 'The Chickasaw Nation', domainType: 'Tribal' }, 'The Chickasaw Nation', 'The Chickasaw Nation'],
  ])('%j: "%s", in a sentence "%s"', (agency, name, sentence) => {
    expect([agencyName(agency), agencyInSentence(agency)]).toEqual([name, sentence]);
  });
});

describe('the sponsor’s review page', () => {
  it('says at which agency the sponsor is asked (the contractor’s record carries their sponsor’s agency)', () => {
    const summary = contractorSummary(contractor({ agency: GSA }), contractor().request!);
    expect(summary.agency).toEqual(GSA);
    const page = reviewPage('token', summary);
    expect(fact(page, 'agency')).toBe('You are asked as a sponsor at the General Services Administration (Office of GSA IT).');
  });

  it('shows nothing more for a record older than agencies', () => {
    const summary = contractorSummary(contractor(), contractor().request!);
    expect('agency' in summary).toBe(false);
    const page = reviewPage('token', summary);
    expect([fact(page, 'agency'), page.includes('You are asked as a sponsor')]).toEqual([undefined, false]);
  });

  it('escapes the registry’s words', () => {
    const page = reviewPage('token', { ...REQUEST, agency: { organization: 'Office of <script>x</script>', domainType: 'City' } });
    expect(page).toContain('the Office of &lt;script&gt;x&lt;/script&gt;');
    expect(page).not.toContain('<script>x');
  });
});

describe('the sponsor’s dashboard', () => {
  it('lists each contractor’s agency: organization, and suborganization when there is one', () => {
    const page = dashboardPage('pat@it.gsa.gov', 'csrf', [ROW, { ...ROW, requestId: 'req-2', email: 'dana@acme.com', agency: DOD }]);
    expect([...page.matchAll(/<dt>Agency<\/dt><dd data-fact="agency">([^<]*)</g)].map((match) => match[1])).toEqual([
      'General Services Administration (Office of GSA IT)',
      'Department of Defense',
    ]);
  });

  it('has no Agency row for a record older than agencies', () => {
    const page = dashboardPage('pat@it.gsa.gov', 'csrf', [{ ...ROW, agency: null }]);
    expect([page.includes('data-fact="agency"'), page.includes('<dt>Agency</dt>')]).toEqual([false, false]);
  });
});

describe('the email asking the sponsor for a decision', () => {
  const asked = (agency?: Agency): Email => ({
    type: 'sponsor_request',
    contractor: { email: 'casey@acme.com', domain: 'acme.com' },
    ...(agency ? { agency } : {}),
  });

  it('is owed with the agency of the confirmed contractor’s record', () => {
    const owed = CHANGES.confirmContractor.emails(contractor({ agency: GSA }));
    expect(owed).toEqual([{ to: 'pat@it.gsa.gov', email: asked(GSA) }]);
    const old = CHANGES.confirmContractor.emails(contractor());
    expect(old).toEqual([{ to: 'pat@it.gsa.gov', email: asked() }]);
  });

  it('names the agency the sponsor is asked at, in both parts', () => {
    const email = renderEmail(asked(DOD), LINK);
    const sentence =
      'Someone using casey@acme.com, an external address at acme.com, named you, a sponsor at the Department of Defense, as their agency sponsor for access to the integration sandbox.';
    expect(email.text).toContain(sentence);
    expect(email.html).toContain(sentence);
    expect(renderEmail(asked(GSA), LINK).text).toContain(
      'named you, a sponsor at the General Services Administration (Office of GSA IT), as their',
    );
  });

  it('renders an email stored before agencies were recorded as it always did', () => {
    const stored = JSON.parse(JSON.stringify(asked())) as Email;
    const email = renderEmail(storedEmail(stored), LINK);
    expect(email.text).toContain('an external address at acme.com, named you as their agency sponsor for access');
    expect(email.text).not.toContain('a sponsor at');
  });
});

describe('the operator’s table and CSV', () => {
  const view = {
    email: 'casey@acme.com',
    kind: 'contractor',
    status: 'active',
    createdAt: '2030-01-15T12:00:00.000Z',
    accessExpiresAt: null,
    sponsor: 'pat@it.gsa.gov',
    agency: GSA,
  };
  const COLUMNS = ['email', 'kind', 'status', 'createdAt', 'accessExpiresAt', 'sponsor', 'agency'];

  it('puts the agency in one cell: organization / suborganization, empty when none', () => {
    expect([agencyCell(GSA), agencyCell(DOD), agencyCell(null)]).toEqual([
      'General Services Administration / Office of GSA IT',
      'Department of Defense',
      '',
    ]);
    const rows = parse(render([accountRow(view), accountRow({ ...view, agency: null })], 'csv', COLUMNS)) as string[][];
    expect(rows.map((row) => row.at(-1))).toEqual(['agency', 'General Services Administration / Office of GSA IT', '']);
    expect(render([accountRow(view)], 'table', COLUMNS)).toMatch(/│ agency\s+│[\s\S]*General Services Administration \/ Office of GSA IT/);
  });

  it('keeps a cell a spreadsheet would run as a formula as text', () => {
    const hostile = { ...view, agency: { organization: '=HYPERLINK("https://evil.example","x")', domainType: 'City' } };
    const [, row] = parse(render([accountRow(hostile)], 'csv', COLUMNS)) as string[][];
    expect(row?.at(-1)).toBe('\'=HYPERLINK("https://evil.example","x")');
  });
});
