import { describe, expect, it } from 'vitest';
import { registrableDomainOf } from '../../functions/core/registrable-domain';

describe('registrableDomainOf (the public suffix list, ICANN section)', () => {
  it.each([
    ['jo@mail.acme.co.uk', 'acme.co.uk'],
    ['casey@acme-corp.com', 'acme-corp.com'],
    ['pat@x.y.agency.gov', 'agency.gov'],
    ['lee@us.af.mil', 'af.mil'],
    ['sam@sub.k12.ca.us', 'sub.k12.ca.us'],
    ['kim@acme.com.au', 'acme.com.au'],
    // A private entry is no registry: the sponsor reads the real owner of the name.
    ['x@evil.github.io', 'github.io'],
    ['x@a.b.herokuapp.com', 'herokuapp.com'],
    ['x@ssa.gov.sec-review.com', 'sec-review.com'],
  ])('%s → %s', (address, domain) => {
    expect(registrableDomainOf(address)).toBe(domain);
  });

  it('falls back to the whole domain where the list names no registrable part', () => {
    expect(registrableDomainOf('a@co.uk')).toBe('co.uk');
  });
});
