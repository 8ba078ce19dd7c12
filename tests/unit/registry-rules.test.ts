import { describe, expect, it } from 'vitest';
import { DomainNotEligibleError, DomainNotRegisteredError, SponsorNotEligibleError } from '../../functions/core/errors';
import { statusOf } from '../../functions/http/respond';
import { requestSponsorship } from '../../functions/use-cases/request-sponsorship';
import { type SignUpDeps, signUp } from '../../functions/use-cases/sign-up';
import {
  DELIVERY,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryDomainRegistry,
  InMemoryMailboxAllowances,
  InMemoryRateLimiter,
  InMemorySuppressionList,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
  rejection,
} from '../support/fakes';

const GSA = {
  domain: 'gsa.gov',
  type: 'Federal - Executive',
  organization: 'General Services Administration',
  suborganization: 'Office of GSA IT',
};
const CITY = { domain: '29palms.gov', type: 'City', organization: 'City of Twentynine Palms' };

function setup(options: { govDomainTypes?: string[]; sponsorGovDomainTypes?: string[]; allowedDomainSuffixes?: string[] } = {}) {
  const store = new InMemoryAccountStore();
  const notifier = new RecordingNotifier();
  const registry = new InMemoryDomainRegistry().list(GSA).list(CITY).unlist('made-up.gov');
  const deps: SignUpDeps & { deniedSponsorMailboxes: readonly string[]; sponsorGovDomainTypes: readonly string[] } = {
    ...DELIVERY,
    registry,
    govDomainTypes: options.govDomainTypes ?? [],
    sponsorGovDomainTypes: options.sponsorGovDomainTypes ?? [],
    deniedSponsorMailboxes: [],
    store,
    mailer: notifier,
    clock: new ManualClock('2030-01-15T12:00:00.000Z'),
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
    policy: { allowedDomainSuffixes: options.allowedDomainSuffixes ?? [], deniedDomains: [] },
    allowances: new InMemoryMailboxAllowances(),
    suppressions: new InMemorySuppressionList(),
    limiter: new InMemoryRateLimiter(),
    breaker: new InMemoryBreaker(),
    budgets: { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 },
    emailLimits: { cooldownSeconds: 60, perDay: 5 },
    verifyTtlSeconds: 86_400,
  };
  const signUpAs = (email: string) => signUp({ email, clientIp: '198.51.100.23', baseUrl: 'https://sandbox.example.gov' }, deps);
  const ask = (sponsorEmail: string) =>
    requestSponsorship(
      {
        email: 'casey@acme.example',
        name: 'Casey',
        company: 'Acme',
        sponsorEmail,
        justification: 'Work.',
        clientIp: '198.51.100.23',
        baseUrl: 'https://sandbox.example.gov',
      },
      deps,
    );
  return { store, notifier, registry, signUpAs, ask };
}

describe('the .gov registry decides who signs up and who sponsors', () => {
  it('an address at a registered domain (a subdomain maps to it) signs up and carries its agency', async () => {
    const { store, registry, signUpAs } = setup();
    await signUpAs('someone@it.gsa.gov');
    expect(registry.asked).toEqual(['gsa.gov']);
    expect(store.peek('someone@it.gsa.gov')?.agency).toEqual({
      organization: 'General Services Administration',
      suborganization: 'Office of GSA IT',
      domainType: 'Federal - Executive',
    });
    // Its registered domain finds it if the domain leaves the registry.
    expect(store.peek('someone@it.gsa.gov')?.registeredDomain).toBe('gsa.gov');
  });

  it('a .gov domain the registry does not list is 422 domain_not_registered, naming it; nothing written or sent', async () => {
    const { store, notifier, signUpAs } = setup();
    const refused = await rejection(signUpAs('x@made-up.gov'));
    expect(refused).toBeInstanceOf(DomainNotRegisteredError);
    expect([statusOf(refused as DomainNotRegisteredError), (refused as Error).message]).toEqual([
      422,
      expect.stringContaining('made-up.gov is not in the official .gov registry'),
    ]);
    expect([store.puts, notifier.sent]).toEqual([[], []]);
  });

  it('a deployment that admits only federal domains refuses a city’s address as not eligible', async () => {
    const { store, signUpAs } = setup({ govDomainTypes: ['Federal - Executive'] });
    expect(await rejection(signUpAs('clerk@29palms.gov'))).toBeInstanceOf(DomainNotEligibleError);
    expect(store.puts).toEqual([]);
    await signUpAs('someone@gsa.gov');
    expect(store.peek('someone@gsa.gov')?.status).toBe('pending');
  });

  it('.mil keeps its suffix rule: no registry to ask; the Department of Defense is its agency', async () => {
    const { registry, store, signUpAs } = setup();
    await signUpAs('soldier@army.mil');
    expect(registry.asked).toEqual([]);
    expect(store.peek('soldier@army.mil')).toMatchObject({ agency: { organization: 'Department of Defense', domainType: 'Military' } });
    expect(store.peek('soldier@army.mil')?.registeredDomain).toBeUndefined();
  });

  it('an allowed suffix names itself as the agency', async () => {
    const { registry, store, signUpAs } = setup({ allowedDomainSuffixes: ['fed.us'] });
    await signUpAs('ranger@fs.fed.us');
    expect(registry.asked).toEqual([]);
    expect(store.peek('ranger@fs.fed.us')?.agency).toEqual({ organization: 'fed.us', domainType: 'Allowed suffix' });
  });

  it('a sponsor at an unregistered or unadmitted domain cannot sponsor; a contractor belongs to their sponsor’s agency', async () => {
    const { store, ask } = setup({ sponsorGovDomainTypes: ['Federal - Executive'] });
    expect(await rejection(ask('pat@made-up.gov'))).toBeInstanceOf(SponsorNotEligibleError);
    expect(await rejection(ask('clerk@29palms.gov'))).toBeInstanceOf(SponsorNotEligibleError);
    expect(store.puts).toEqual([]);
    await ask('pat@gsa.gov');
    expect(store.peek('casey@acme.example')?.agency?.organization).toBe('General Services Administration');
    // The contractor's address is not on the sponsor's domain: a domain leaving suspends only its own accounts.
    expect(store.peek('casey@acme.example')?.registeredDomain).toBeUndefined();
  });
});
