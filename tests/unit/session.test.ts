import { describe, expect, it } from 'vitest';
import { sponsorActor } from '../../functions/core/changes';
import { csrfTokenOf, isCsrfTokenOf, mailboxesOf, safeNextPath } from '../../functions/core/session';
import { sponsorSession } from '../support/fakes';

describe('csrfTokenOf and isCsrfTokenOf', () => {
  it('binds the token to the session’s own id: the same sid, the same token; another sid, another', () => {
    const session = sponsorSession('sam@agency.gov');
    const again = { ...sponsorSession('sam@agency.gov'), sid: session.sid };
    const other = sponsorSession('sam@agency.gov');
    expect(csrfTokenOf(again)).toBe(csrfTokenOf(session));
    expect(csrfTokenOf(other)).not.toBe(csrfTokenOf(session));
    expect(csrfTokenOf(session)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenOf(session)).not.toContain(session.sid);
  });

  it('accepts the session’s own token', () => {
    const session = sponsorSession('sam@agency.gov');
    expect(isCsrfTokenOf(session, csrfTokenOf(session))).toBe(true);
  });

  it('refuses another session’s token, even for the same mailbox', () => {
    const session = sponsorSession('sam@agency.gov');
    expect(isCsrfTokenOf(session, csrfTokenOf(sponsorSession('sam@agency.gov')))).toBe(false);
  });

  it.each([
    ['no token', undefined],
    ['an empty one', ''],
  ])('refuses %s', (_label, given) => {
    expect(isCsrfTokenOf(sponsorSession('sam@agency.gov'), given)).toBe(false);
  });

  it('refuses a shorter or longer string that starts like the token', () => {
    const session = sponsorSession('sam@agency.gov');
    const token = csrfTokenOf(session);
    expect(isCsrfTokenOf(session, token.slice(0, -1))).toBe(false);
    expect(isCsrfTokenOf(session, token.slice(0, 8))).toBe(false);
    expect(isCsrfTokenOf(session, `${token}A`)).toBe(false);
  });
});

describe('safeNextPath', () => {
  it.each(['/sponsors', '/sponsorships/review?token=a', '/sponsorships/review?token=eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJyIn0.c2ln'])(
    'keeps a path on this service: %s',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    ['another origin', 'https://x'],
    ['a scheme-relative host', '//x'],
    ['a backslash trick', '/\\x'],
    ['a backslash later on', '/sponsors\\..\\x'],
    ['a space', '/sponsors x'],
    ['a tab', '/\t/x'],
    ['a newline', '/sponsors\n//x'],
    ['a relative path', 'sponsors'],
    ['a scheme', 'javascript:alert(1)'],
    ['nothing', undefined],
    ['the empty string', ''],
    ['a very long path', `/${'a'.repeat(2000)}`],
  ])('answers the dashboard for %s', (_label, next) => {
    expect(safeNextPath(next)).toBe('/sponsors');
  });
});

describe('mailboxesOf', () => {
  it('is the session’s mailbox, then every other address the provider vouches for', () => {
    expect(mailboxesOf(sponsorSession('sam@agency.gov'))).toEqual(['sam@agency.gov']);
    expect(mailboxesOf(sponsorSession('sam@agency.gov', 'oidc', { also: ['s.sponsor@agency.gov'] }))).toEqual([
      'sam@agency.gov',
      's.sponsor@agency.gov',
    ]);
  });
});

describe('sponsorActor', () => {
  it('names an emailed-code sponsor by their mailbox, via emailed_code', () => {
    expect(sponsorActor(sponsorSession('sam@agency.gov'))).toEqual({
      role: 'sponsor',
      name: 'sam@agency.gov',
      via: { via: 'emailed_code' },
    });
  });

  it('names an OIDC sponsor by the mailbox the request named, with the provider’s subject and level', () => {
    const session = sponsorSession('sam@agency.gov', 'oidc', { sub: 'uuid-1', acr: 'urn:acr.login.gov:auth-only', also: ['s@agency.gov'] });
    expect(sponsorActor(session, 's@agency.gov')).toEqual({
      role: 'sponsor',
      name: 's@agency.gov',
      via: { via: 'oidc', sub: 'uuid-1', acr: 'urn:acr.login.gov:auth-only' },
    });
    const { acr: _acr, ...noLevel } = session;
    expect(sponsorActor(noLevel), 'no level reported, none recorded').toEqual({
      role: 'sponsor',
      name: 'sam@agency.gov',
      via: { via: 'oidc', sub: 'uuid-1' },
    });
  });
});
