import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddressProblem,
  type AddressResult,
  type EligibilityPolicy,
  isEligibleDomain,
  isGovernmentLookalike,
  isValidHostname,
  maskAddress,
  parseAddress,
  trimAsciiWhiteSpace,
} from '../../functions/core/address';
import { looksLikeWebAddress } from '../../functions/core/web-address';

// ---------------------------------------------------------------------------------------------
// Helpers and generators
// ---------------------------------------------------------------------------------------------

const NO_EXTRAS: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: [] };

const PROBLEMS: readonly AddressProblem[] = [
  'empty',
  'too_long',
  'invalid_character',
  'missing_at',
  'multiple_at',
  'invalid_local_part',
  'link_like_local_part',
  'invalid_domain',
];

function canonicalOf(result: AddressResult): string {
  if (!result.ok) throw new Error(`expected ok, got problem ${result.problem}`);
  return result.address.canonical;
}

function problemOf(result: AddressResult): AddressProblem | 'ok' {
  return result.ok ? 'ok' : result.problem;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = LETTERS + DIGITS;
/** RFC 5322 atext minus `?` (our rule refuses `?` outright). */
const ATEXT = `${ALNUM}!#$%&'*+-/=^_\`{|}~`;
const ASCII_WS = [' ', '\t', '\r', '\n'] as const;

const atextChar = fc.constantFrom(...ATEXT);
const alnumChar = fc.constantFrom(...ALNUM);
const ldhChar = fc.constantFrom(...ALNUM, '-');

/** Dot-separated atext runs: no leading, trailing or double dot; 1–64 chars; none a mail client would show as a web address. */
const localPartArb = fc
  .oneof(
    fc.array(fc.string({ unit: atextChar, minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 6 }).map((atoms) => atoms.join('.')),
    fc.string({ unit: atextChar, minLength: 55, maxLength: 64 }),
  )
  .filter((local) => !looksLikeWebAddress(local));

/** A DNS label: 1–63 letters/digits/hyphens, not starting or ending with a hyphen. */
const labelArb = fc.oneof(
  alnumChar,
  fc.tuple(alnumChar, fc.string({ unit: ldhChar, maxLength: 12 }), alnumChar).map(([first, middle, last]) => first + middle + last),
  fc
    .tuple(alnumChar, fc.string({ unit: ldhChar, minLength: 50, maxLength: 61 }), alnumChar)
    .map(([first, middle, last]) => first + middle + last),
);

const tldArb = fc.oneof(
  fc.constantFrom(
    'gov',
    'mil',
    'GOV',
    'Mil',
    'gOv',
    'MIL',
    'com',
    'org',
    'uk',
    'us',
    'io',
    'govv',
    'go',
    'mi',
    'gov-uk',
    'egov',
    'xmil',
    'usgov',
    'gov2',
  ),
  labelArb,
);

const domainArb = fc
  .tuple(fc.array(labelArb, { minLength: 1, maxLength: 4 }), tldArb)
  .map(([labels, tld]) => [...labels, tld].join('.'))
  .filter((domain) => domain.length <= 253);

/** A domain whose last label is gov or mil (any case), i.e. eligible with no extra policy. */
const eligibleDomainArb = fc
  .tuple(fc.array(labelArb, { minLength: 1, maxLength: 3 }), fc.constantFrom('gov', 'mil', 'GOV', 'Mil'))
  .map(([labels, tld]) => [...labels, tld].join('.'))
  .filter((domain) => domain.length <= 253);

const validAddressArb = fc
  .tuple(localPartArb, domainArb)
  .map(([local, domain]) => ({ local, domain, address: `${local}@${domain}` }))
  .filter(({ address }) => address.length <= 254);

const asciiWhiteSpaceArb = fc.string({ unit: fc.constantFrom(...ASCII_WS), maxLength: 6 });

/** Strings of every kind, biased toward the characters that matter to the rule. */
const anyStringArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({
    unit: fc.constantFrom(
      ...'aZ09.@-_+\'"()<>[]\\,;:?=',
      ' ',
      '\t',
      '\r',
      '\n',
      '\u0000',
      '\u007f',
      '\u00a0',
      '\u0430',
      '\u200b',
      '\u212a',
    ),
    maxLength: 80,
  }),
  validAddressArb.map(({ address }) => address),
  fc.tuple(asciiWhiteSpaceArb, validAddressArb, asciiWhiteSpaceArb).map(([a, { address }, b]) => a + address + b),
);

function lastLabel(domain: string): string {
  return domain.slice(domain.lastIndexOf('.') + 1).toLowerCase();
}

// Length fixtures, built precisely and checked below.
const LOCAL_64 = 'l'.repeat(64);
const LOCAL_65 = 'l'.repeat(65);
const LABEL_63 = 'a'.repeat(63);
const LABEL_64 = 'a'.repeat(64);
/** 64 + 1 + (63 + 1 + 63 + 1 + 57 + 1 + 3) = 254 */
const ADDRESS_254 = `${LOCAL_64}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(57)}.gov`;
/** 64 + 1 + (63 + 1 + 63 + 1 + 58 + 1 + 3) = 255 */
const ADDRESS_255 = `${LOCAL_64}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(58)}.gov`;
/** 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253: the longest valid domain. */
const DOMAIN_253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.gov`;
const DOMAIN_254 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.gov`;

// ---------------------------------------------------------------------------------------------
// parseAddress: examples
// ---------------------------------------------------------------------------------------------

describe('parseAddress: case and surrounding white space', () => {
  it.each([
    ['  USER@Agency.GOV ', 'user@agency.gov'],
    ['\tuser@agency.gov\t', 'user@agency.gov'],
    ['\r\nuser@agency.gov\r\n', 'user@agency.gov'],
    [' \t\r\n User@Agency.Gov \n\t', 'user@agency.gov'],
    ['\nJane.Doe@SSA.GOV', 'jane.doe@ssa.gov'],
    ["O'Brien@Mail.MIL\r", "o'brien@mail.mil"],
  ])('trims ASCII white space and lower-cases %j to %j', (input, canonical) => {
    const result = parseAddress(input);
    expect(result).toEqual({
      ok: true,
      address: { canonical, localPart: canonical.split('@')[0], domain: canonical.split('@')[1] },
    });
  });

  it.each([
    ['\u00a0user@agency.gov'],
    ['user@agency.gov\u00a0'],
    ['\u2003user@agency.gov'],
    ['user@agency.gov\u2003'],
    ['\u3000user@agency.gov\u3000'],
    ['\u2028user@agency.gov'],
    ['user@agency.gov\u0085'],
    ['\ufeffuser@agency.gov'],
    ['\u000buser@agency.gov'],
    ['user@agency.gov\u000c'],
  ])('does not trim Unicode or non-listed white space around %j and refuses it', (input) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem: 'invalid_character' });
  });

  it.each([[''], ['   '], ['\t\r\n'], [' \n \r \t ']])('reports %j (blank after trimming) as empty', (input) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem: 'empty' });
  });
});

describe('parseAddress: constructs outside the strict subset are refused', () => {
  it.each<[string, string, AddressProblem]>([
    // second @
    ['second @', 'me@mine.fr@elysee.fr', 'multiple_at'],
    ['second @', 'a@b@agency.gov', 'multiple_at'],
    ['second @', 'jane@agency.gov@', 'multiple_at'],
    ['second @', '@@agency.gov', 'multiple_at'],
    // quoted strings
    ['quotes', '"x@gmail.com x"@agency.gov', 'invalid_character'],
    ['quotes', '"jane"@agency.gov', 'invalid_character'],
    ['quotes', 'ja"ne@agency.gov', 'invalid_character'],
    ['quotes', '"x@gmail.com"@agency.gov', 'invalid_character'],
    // comments
    ['comment', 'jane(c)@agency.gov', 'invalid_character'],
    ['comment', '(c)jane@agency.gov', 'invalid_character'],
    ['comment', 'jane@(c)agency.gov', 'invalid_character'],
    ['comment', 'jane@agency.gov(c)', 'invalid_character'],
    ['comment', 'jane@agency.gov)', 'invalid_character'],
    // domain literals
    ['IP literal', 'user@[127.0.0.1]', 'invalid_character'],
    ['IP literal', 'user@[IPv6:::1]', 'invalid_character'],
    ['IP literal', 'user@[agency.gov]', 'invalid_character'],
    ['bracket', '[jane]@agency.gov', 'invalid_character'],
    // encoded words
    ['encoded word', '=?utf-8?q?x?=@agency.gov', 'invalid_character'],
    ['encoded word', '=?UTF-8?B?amFuZQ==?=@agency.gov', 'invalid_character'],
    ['encoded word', 'jane@=?utf-8?q?agency?=.gov', 'invalid_character'],
    ['question mark', 'jane?@agency.gov', 'invalid_character'],
    // display names and angle brackets
    ['angle brackets', 'Jane <jane@agency.gov>', 'invalid_character'],
    ['angle brackets', '<jane@agency.gov>', 'invalid_character'],
    ['angle brackets', 'jane@agency.gov>', 'invalid_character'],
    ['angle brackets', 'x@evil.com<jane@agency.gov', 'invalid_character'],
    // lists
    ['list', 'a@agency.gov,b@agency.gov', 'invalid_character'],
    ['list', 'a@agency.gov;b@agency.gov', 'invalid_character'],
    ['list', 'a@agency.gov, b@agency.gov', 'invalid_character'],
    ['list', 'jane,doe@agency.gov', 'invalid_character'],
    ['list', 'jane@agency.gov;', 'invalid_character'],
    // backslash
    ['backslash', 'ja\\ne@agency.gov', 'invalid_character'],
    ['backslash', 'jane\\@agency.gov', 'invalid_character'],
  ])('refuses %s: %j', (_kind, input, problem) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem });
  });

  it.each([
    ['CR inside', 'ja\rne@agency.gov'],
    ['LF inside', 'jane@agen\ncy.gov'],
    ['CRLF header injection', 'jane@agency.gov\r\nBcc: x@evil.com'],
    ['CRLF before @', 'jane\r\n@agency.gov'],
    ['NUL inside', 'jane\u0000@agency.gov'],
    ['NUL at the start (not trimmed)', '\u0000jane@agency.gov'],
    ['NUL at the end (not trimmed)', 'jane@agency.gov\u0000'],
    ['BEL', 'ja\u0007ne@agency.gov'],
    ['ESC', 'jane@agency.gov\u001b'],
    ['unit separator', 'jane@agency\u001f.gov'],
    ['tab inside local part', 'jane\t@agency.gov'],
    ['tab inside domain', 'jane@\tagency.gov'],
    ['tab between words', 'ja\tne@agency.gov'],
    ['space inside', 'ja ne@agency.gov'],
    ['space before @', 'jane @agency.gov'],
    ['space after @', 'jane@ agency.gov'],
    ['DEL inside', 'ja\u007fne@agency.gov'],
    ['DEL at the end', 'jane@agency.gov\u007f'],
    ['C1 control', 'jane\u0085@agency.gov'],
  ])('refuses control characters and inner white space: %s', (_kind, input) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem: 'invalid_character' });
  });

  it.each([
    ['Cyrillic а in local part', 'j\u0430ne@agency.gov'],
    ['Cyrillic о in gov', 'jane@agency.g\u043ev'],
    ['Cyrillic е in domain', 'jane@ag\u0435ncy.gov'],
    ['Greek omicron in gov', 'jane@agency.g\u03bfv'],
    ['Greek alpha in local part', '\u03b1dmin@agency.gov'],
    ['fullwidth j', '\uff4aane@agency.gov'],
    ['fullwidth @', 'jane\uff20agency.gov'],
    ['fullwidth full stop', 'jane@agency\uff0egov'],
    ['ideographic full stop', 'jane@agency\u3002gov'],
    ['dotless ı', 'j\u0131ll@agency.gov'],
    ['dotted İ', 'jane@\u0130rs.gov'],
    ['Kelvin sign (lower-cases to ASCII k)', '\u212aate@agency.gov'],
    ['Kelvin sign in domain', 'kate@\u212aagency.gov'],
    ['zero-width space', 'ja\u200bne@agency.gov'],
    ['zero-width joiner', 'jane@agen\u200dcy.gov'],
    ['zero-width non-joiner', 'jane@agency.gov\u200c'],
    ['soft hyphen', 'jane@agen\u00adcy.gov'],
    ['right-to-left override', 'jane@\u202eagency.gov'],
    ['accented letter', 'jos\u00e9@agency.gov'],
    ['emoji (astral)', 'jane\u{1f600}@agency.gov'],
    ['lone surrogate', 'jane\ud800@agency.gov'],
  ])('refuses non-ASCII look-alikes: %s', (_kind, input) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem: 'invalid_character' });
  });
});

describe('parseAddress: local-part and domain syntax', () => {
  it('builds the length fixtures with the intended sizes', () => {
    expect(LOCAL_64).toHaveLength(64);
    expect(LOCAL_65).toHaveLength(65);
    expect(LABEL_63).toHaveLength(63);
    expect(LABEL_64).toHaveLength(64);
    expect(ADDRESS_254).toHaveLength(254);
    expect(ADDRESS_255).toHaveLength(255);
    expect(DOMAIN_253).toHaveLength(253);
    expect(DOMAIN_254).toHaveLength(254);
  });

  it.each<[string, string, AddressProblem]>([
    ['leading dot', '.jane@agency.gov', 'invalid_local_part'],
    ['trailing dot', 'jane.@agency.gov', 'invalid_local_part'],
    ['double dot', 'jane..doe@agency.gov', 'invalid_local_part'],
    ['only a dot', '.@agency.gov', 'invalid_local_part'],
    ['empty local part', '@agency.gov', 'invalid_local_part'],
    ['empty local part after trimming', '  @agency.gov', 'invalid_local_part'],
    ['colon in local part', 'ja:ne@agency.gov', 'invalid_local_part'],
    ['65-char local part', `${LOCAL_65}@agency.gov`, 'invalid_local_part'],
    ['missing @', 'jane.agency.gov', 'missing_at'],
    ['missing @ (single word)', 'jane', 'missing_at'],
    ['missing @ (domain only)', 'agency.gov', 'missing_at'],
    ['64-char label', `jane@${LABEL_64}.gov`, 'invalid_domain'],
    ['64-char top label', `jane@agency.${LABEL_64}`, 'invalid_domain'],
    ['label with leading hyphen', 'jane@-agency.gov', 'invalid_domain'],
    ['label with trailing hyphen', 'jane@agency-.gov', 'invalid_domain'],
    ['TLD with leading hyphen', 'jane@agency.-gov', 'invalid_domain'],
    ['TLD with trailing hyphen', 'jane@agency.gov-', 'invalid_domain'],
    ['hyphen-only label', 'jane@-.gov', 'invalid_domain'],
    ['single-label domain gov', 'jane@gov', 'invalid_domain'],
    ['single-label domain mil', 'jane@mil', 'invalid_domain'],
    ['single-label domain localhost', 'jane@localhost', 'invalid_domain'],
    ['trailing-dot domain', 'jane@agency.gov.', 'invalid_domain'],
    ['leading-dot domain', 'jane@.agency.gov', 'invalid_domain'],
    ['empty label', 'a@b..gov', 'invalid_domain'],
    ['empty domain', 'jane@', 'invalid_domain'],
    ['underscore in domain', 'jane@my_agency.gov', 'invalid_domain'],
    ['underscore label', 'jane@_dmarc.agency.gov', 'invalid_domain'],
    ['slash in domain', 'jane@agency/x.gov', 'invalid_domain'],
    ['percent in domain', 'jane@agency%x.gov', 'invalid_domain'],
    ['port on domain', 'jane@agency.gov:25', 'invalid_domain'],
    ['255-char address', ADDRESS_255, 'too_long'],
    ['255 chars with a valid 253-char domain', `a@${DOMAIN_253}`, 'too_long'],
  ])('refuses %s', (_kind, input, problem) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem });
  });

  it.each([
    ['64-char local part', `${LOCAL_64}@agency.gov`],
    ['63-char label', `jane@${LABEL_63}.gov`],
    ['63-char labels throughout', `${LABEL_63}@${LABEL_63}.${LABEL_63}.mil`],
    ['inner hyphen', 'jane@my-agency.gov'],
    ['several inner hyphens', 'jane@a-b-c.gov'],
    ['double inner hyphen', 'jane@c--n.gov'],
    ['punycode label', 'jane@xn--bcher-kva.gov'],
    ['one-char labels', 'j@a.b.gov'],
    ['numeric labels', 'jane@123.gov'],
    ['254-char address', ADDRESS_254],
    ['underscore in local part', 'my_name@agency.gov'],
    ['dotted local part', 'jane.q.doe@agency.gov'],
  ])('accepts %s', (_kind, input) => {
    const result = parseAddress(input);
    expect(canonicalOf(result)).toBe(input.toLowerCase());
  });

  it.each([
    ["o'brien@agency.gov"],
    ['a+tag@agency.gov'],
    ["a!#$%&'*+-/=^_`{|}~b@agency.gov"],
    ['{jane}@agency.gov'],
    ['=jane=@agency.gov'],
    ['-jane-@agency.gov'],
    ['~@agency.gov'],
    ['123@agency.gov'],
    ['a/b@agency.gov'],
  ])('accepts RFC 5322 atext specials in the local part: %j', (input) => {
    expect(parseAddress(input)).toEqual({
      ok: true,
      address: { canonical: input, localPart: input.split('@')[0], domain: 'agency.gov' },
    });
  });

  it.each([
    'www.piv-reverify.com/x@acme-corp.com',
    'piv-reverify.com/approve@acme-corp.com',
    'WWW.evil.com@acme-corp.com',
    'evil.com#approve@acme-corp.com',
  ])('refuses a local part a mail client would show as a web address: %s', (input) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem: 'link_like_local_part' });
  });

  it('keeps local part and domain consistent with the canonical form', () => {
    expect(parseAddress("O'Brien+Tag@Sub.Agency.GOV")).toEqual({
      ok: true,
      address: { canonical: "o'brien+tag@sub.agency.gov", localPart: "o'brien+tag", domain: 'sub.agency.gov' },
    });
  });
});

describe('parseAddress: hostile 100 KB inputs are refused without catastrophic backtracking', () => {
  // No timing assertion: vitest's per-test timeout catches catastrophic backtracking.
  it.each<[string, string, AddressProblem]>([
    ['long local part', `${'a'.repeat(100_000)}@gov`, 'too_long'],
    ['long local part, eligible domain', `${'a'.repeat(100_000)}@agency.gov`, 'too_long'],
    ['dot-heavy', `${'.'.repeat(100_000)}@agency.gov`, 'too_long'],
    ['dot-separated atoms', `${'a.'.repeat(50_000)}a@agency.gov`, 'too_long'],
    ['hyphen-heavy label', `a@${'-'.repeat(100_000)}.gov`, 'too_long'],
    ['alternating hyphen label', `a@${'a-'.repeat(50_000)}a.gov`, 'too_long'],
    ['many labels', `a@${'a.'.repeat(50_000)}gov`, 'too_long'],
    ['no @ at all', 'a'.repeat(100_000), 'too_long'],
    ['many @', '@'.repeat(100_000), 'too_long'],
    ['long trailing garbage', `jane@agency.gov${'!'.repeat(100_000)}`, 'too_long'],
    ['blank', ' '.repeat(100_000), 'empty'],
    ['white space around one char', `${' \t'.repeat(50_000)}a${'\r\n'.repeat(50_000)}`, 'missing_at'],
    ['Unicode spaces', '\u00a0'.repeat(100_000), 'invalid_character'],
    ['control characters late in a long input', `${'a'.repeat(100_000)}\u0000`, 'invalid_character'],
  ])('refuses %s', (_kind, input, problem) => {
    expect(parseAddress(input)).toEqual({ ok: false, problem });
  });

  it.each([
    [`${'a-'.repeat(50_000)}a.gov`],
    [`${'a.'.repeat(50_000)}gov`],
    ['-'.repeat(100_000)],
    [`${`${'a'.repeat(63)}-.`.repeat(1_500)}gov`],
  ])('isValidHostname and isEligibleDomain refuse a 100 KB domain (%#)', (domain) => {
    expect(isValidHostname(domain)).toBe(false);
    expect(isEligibleDomain(domain, NO_EXTRAS)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// trimAsciiWhiteSpace and isValidHostname
// ---------------------------------------------------------------------------------------------

describe('trimAsciiWhiteSpace', () => {
  it.each([
    [' a ', 'a'],
    ['\t\r\n a \n', 'a'],
    ['a b', 'a b'],
    [' a \t b ', 'a \t b'],
    ['', ''],
    ['   ', ''],
    ['\u00a0a\u00a0', '\u00a0a\u00a0'],
    ['\u000ba\u000c', '\u000ba\u000c'],
    ['\u3000 a \u3000', '\u3000 a \u3000'],
  ])('trims %j to %j', (input, expected) => {
    expect(trimAsciiWhiteSpace(input)).toBe(expected);
  });

  it('matches a reference implementation that strips only space, tab, CR and LF at the ends', () => {
    fc.assert(
      fc.property(anyStringArb, (s) => {
        expect(trimAsciiWhiteSpace(s)).toBe(s.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, ''));
      }),
    );
  });
});

describe('isValidHostname', () => {
  it.each([['agency.gov'], ['a.b'], ['xn--bcher-kva.example'], [DOMAIN_253], ['AGENCY.GOV']])('accepts %j', (domain) => {
    expect(isValidHostname(domain)).toBe(true);
  });

  it.each([[''], ['gov'], ['agency.gov.'], ['.agency.gov'], ['a..b'], [DOMAIN_254], ['a_b.gov'], ['-a.gov']])('refuses %j', (domain) => {
    expect(isValidHostname(domain)).toBe(false);
  });

  it('honours minLabels', () => {
    expect(isValidHostname('localhost', 1)).toBe(true);
    expect(isValidHostname('localhost')).toBe(false);
    expect(isValidHostname('a.b', 3)).toBe(false);
    expect(isValidHostname('a.b.c', 3)).toBe(true);
    expect(isValidHostname('', 1)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Eligibility
// ---------------------------------------------------------------------------------------------

describe('isEligibleDomain', () => {
  it.each([
    ['ssa.gov'],
    ['mail.mil'],
    ['us.af.mil'],
    ['ca.gov'],
    ['x.y.agency.gov'],
    ['SSA.GOV'],
    ['Mail.Mil'],
    ['agency.GoV'],
    ['US.AF.MIL'],
  ])('accepts %j (last label exactly gov or mil, any case)', (domain) => {
    expect(isEligibleDomain(domain, NO_EXTRAS)).toBe(true);
  });

  it.each([
    ['\u212Aagency.gov'],
    ['agency.\u212Agov.mil'],
    ['gov'],
    ['mil'],
    ['GOV'],
    ['ssa.gov.evil.com'],
    ['evilgov.com'],
    ['x.gov.uk'],
    ['ssa.gov.'],
    ['agency.mil.'],
    ['gov.com'],
    ['mil.example.com'],
    ['agency.gov.com'],
    ['govmil.org'],
    ['agency.govv'],
    ['agency.egov'],
    ['agency.usgov'],
    ['agency.xmil'],
    ['agency.gov2'],
    ['agency.go'],
    ['agency.mi'],
    ['agencygov'],
    ['agency-gov.com'],
    ['agency.gov-mil'],
    ['.gov'],
    ['agency..gov'],
    ['-agency.gov'],
    [' agency.gov'],
    ['agency.gov '],
    ['agency.gov/'],
    ['agency.g\u043ev'],
    ['ag\u0435ncy.gov'],
    ['evil.com#.gov'],
    ['127.0.0.1'],
    [''],
  ])('refuses %j', (domain) => {
    expect(isEligibleDomain(domain, NO_EXTRAS)).toBe(false);
  });

  describe('with allowedDomainSuffixes [fed.us]', () => {
    const policy: EligibilityPolicy = { allowedDomainSuffixes: ['fed.us'], deniedDomains: [] };

    it.each([['fed.us'], ['x.fed.us'], ['a.b.fed.us'], ['X.FED.US'], ['ssa.gov'], ['mail.mil']])('accepts %j', (domain) => {
      expect(isEligibleDomain(domain, policy)).toBe(true);
    });

    it.each([['evilfed.us'], ['fed.us.evil.com'], ['us'], ['fed.usa'], ['x.fed.us.'], ['fed-us.com'], ['x.us']])('refuses %j', (domain) => {
      expect(isEligibleDomain(domain, policy)).toBe(false);
    });

    it('does not make fed.us eligible when the suffix is not configured', () => {
      expect(isEligibleDomain('x.fed.us', NO_EXTRAS)).toBe(false);
    });
  });

  describe('with deniedDomains [bad.gov]', () => {
    const policy: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: ['bad.gov'] };

    it.each([['bad.gov'], ['x.bad.gov'], ['y.x.bad.gov'], ['BAD.GOV'], ['X.Bad.Gov']])('refuses %j', (domain) => {
      expect(isEligibleDomain(domain, policy)).toBe(false);
    });

    it.each([['notbad.gov'], ['bad-gov.gov'], ['bad.mil'], ['good.gov'], ['bad.gov.x.gov']])('accepts %j', (domain) => {
      expect(isEligibleDomain(domain, policy)).toBe(true);
    });

    it('lets a denial override an allowed suffix', () => {
      const mixed: EligibilityPolicy = { allowedDomainSuffixes: ['fed.us'], deniedDomains: ['evil.fed.us'] };
      expect(isEligibleDomain('evil.fed.us', mixed)).toBe(false);
      expect(isEligibleDomain('x.evil.fed.us', mixed)).toBe(false);
      expect(isEligibleDomain('good.fed.us', mixed)).toBe(true);
      expect(isEligibleDomain('notevil.fed.us', mixed)).toBe(true);
    });

    it('can deny a whole top-level domain', () => {
      const noMil: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: ['mil'] };
      expect(isEligibleDomain('mail.mil', noMil)).toBe(false);
      expect(isEligibleDomain('us.af.mil', noMil)).toBe(false);
      expect(isEligibleDomain('ssa.gov', noMil)).toBe(true);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// maskAddress
// ---------------------------------------------------------------------------------------------

describe('maskAddress', () => {
  it.each([
    ['jane.doe@agency.gov', 'j***@agency.gov'],
    ['j@agency.gov', 'j***@agency.gov'],
    ["o'brien@x.mil", 'o***@x.mil'],
    [`${LOCAL_64}@agency.gov`, 'l***@agency.gov'],
    ['', '***'],
    ['@agency.gov', '***'],
    ['nobody', '***'],
  ])('masks %j as %j', (input, expected) => {
    expect(maskAddress(input)).toBe(expected);
  });

  it('keeps only the first character of the local part of any valid address', () => {
    fc.assert(
      fc.property(validAddressArb, ({ address }) => {
        const canonical = canonicalOf(parseAddress(address));
        const [local, domain] = canonical.split('@') as [string, string];
        const masked = maskAddress(canonical);
        expect(masked).toBe(`${local[0]}***@${domain}`);
        // The part before the @ holds the first character and the mask, nothing else of the local part.
        expect(masked.slice(0, masked.indexOf('@'))).toBe(`${local[0]}***`);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('parseAddress properties', () => {
  it('never throws, and an accepted canonical is lower-case printable ASCII with one @ and no specials', () => {
    fc.assert(
      fc.property(anyStringArb, (s) => {
        const result = parseAddress(s);
        if (!result.ok) {
          expect(PROBLEMS).toContain(result.problem);
          return;
        }
        const { canonical, localPart, domain } = result.address;
        expect(canonical).toBe(canonical.toLowerCase());
        expect(canonical.length).toBeLessThanOrEqual(254);
        expect(canonical.split('@')).toHaveLength(2);
        expect(canonical).toMatch(/^[\x21-\x7e]+$/);
        expect(canonical).not.toMatch(/["(),;:<>?[\]\\]/);
        expect(canonical).toBe(`${localPart}@${domain}`);
        expect(canonical).toBe(trimAsciiWhiteSpace(s).toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: an accepted canonical parses to itself', () => {
    fc.assert(
      fc.property(anyStringArb, (s) => {
        const first = parseAddress(s);
        if (!first.ok) return;
        const second = parseAddress(first.address.canonical);
        expect(second).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every generated valid address, and it is eligible exactly when its last label is gov or mil', () => {
    fc.assert(
      fc.property(validAddressArb, ({ local, domain, address }) => {
        const result = parseAddress(address);
        expect(result).toEqual({
          ok: true,
          address: { canonical: address.toLowerCase(), localPart: local.toLowerCase(), domain: domain.toLowerCase() },
        });
        const expected = ['gov', 'mil'].includes(lastLabel(domain));
        expect(isEligibleDomain(domain, NO_EXTRAS)).toBe(expected);
        expect(isEligibleDomain(canonicalOf(result).split('@')[1]!, NO_EXTRAS)).toBe(expected);
        // Case does not matter to acceptance or to the canonical form.
        expect(canonicalOf(parseAddress(address.toUpperCase()))).toBe(address.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });

  const forbiddenCharArb = fc.oneof(
    fc.constantFrom(...'"(),;<>?[]\\@:'),
    fc.constantFrom(...ASCII_WS),
    fc.integer({ min: 0x00, max: 0x1f }).map((c) => String.fromCharCode(c)),
    fc.constant('\u007f'),
    fc.integer({ min: 0x80, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  );

  it('refuses a valid address with any forbidden, control or non-ASCII character inserted', () => {
    fc.assert(
      fc.property(validAddressArb, forbiddenCharArb, fc.nat(), ({ address }, ch, n) => {
        // Surrounding ASCII white space is trimmed by design, so white space goes strictly inside.
        const isWs = (ASCII_WS as readonly string[]).includes(ch);
        const pos = isWs ? 1 + (n % (address.length - 1)) : n % (address.length + 1);
        const mutated = address.slice(0, pos) + ch + address.slice(pos);
        const result = parseAddress(mutated);
        expect(result.ok).toBe(false);

        let expected: AddressProblem;
        if (ch === '@' || ch === ':') {
          if (mutated.length > 254) expected = 'too_long';
          else if (ch === '@') expected = 'multiple_at';
          else expected = pos <= address.indexOf('@') ? 'invalid_local_part' : 'invalid_domain';
        } else {
          expected = 'invalid_character';
        }
        expect(problemOf(result)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a local part given a leading, trailing or doubled dot', () => {
    fc.assert(
      fc.property(validAddressArb, fc.constantFrom('leading', 'trailing', 'doubled'), fc.nat(), ({ local, domain }, where, n) => {
        const dots = [...local].flatMap((ch, i) => (ch === '.' ? [i] : []));
        let broken: string;
        if (where === 'leading') broken = `.${local}`;
        else if (where === 'trailing') broken = `${local}.`;
        else if (dots.length > 0) {
          const i = dots[n % dots.length]!;
          broken = `${local.slice(0, i)}.${local.slice(i)}`;
        } else {
          const i = 1 + (n % Math.max(1, local.length - 1));
          broken = i < local.length ? `${local.slice(0, i)}..${local.slice(i)}` : `${local}..x`;
        }
        const address = `${broken}@${domain}`;
        expect(problemOf(parseAddress(address))).toBe(address.length > 254 ? 'too_long' : 'invalid_local_part');
      }),
    );
  });

  it('gives the same canonical when a valid address is wrapped in ASCII white space', () => {
    fc.assert(
      fc.property(asciiWhiteSpaceArb, validAddressArb, asciiWhiteSpaceArb, (before, { address }, after) => {
        expect(canonicalOf(parseAddress(before + address + after))).toBe(canonicalOf(parseAddress(address)));
      }),
    );
  });
});

describe('isEligibleDomain properties', () => {
  const notGovOrMilLabel = labelArb.filter((label) => !['gov', 'mil'].includes(label.toLowerCase()));

  it('never accepts anything whose last label is not gov or mil, whatever precedes it', () => {
    fc.assert(
      fc.property(fc.oneof(eligibleDomainArb, anyStringArb), notGovOrMilLabel, (prefix, label) => {
        expect(isEligibleDomain(`${prefix}.${label}`, NO_EXTRAS)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts a label appended after gov or mil (agency.gov.<label>)', () => {
    fc.assert(
      fc.property(eligibleDomainArb, notGovOrMilLabel, (domain, label) => {
        expect(isEligibleDomain(domain, NO_EXTRAS)).toBe(true);
        expect(isEligibleDomain(`${domain}.${label}`, NO_EXTRAS)).toBe(false);
      }),
    );
  });

  it('keeps an eligible domain eligible when labels are prepended (within 253 chars)', () => {
    fc.assert(
      fc.property(fc.array(labelArb, { minLength: 1, maxLength: 3 }), eligibleDomainArb, (labels, domain) => {
        const longer = `${labels.join('.')}.${domain}`;
        fc.pre(longer.length <= 253);
        expect(isEligibleDomain(longer, NO_EXTRAS)).toBe(true);
      }),
    );
  });

  it('treats an allowed suffix like gov: prefixes stay eligible, look-alike suffixes do not', () => {
    const policy: EligibilityPolicy = { allowedDomainSuffixes: ['fed.us'], deniedDomains: [] };
    fc.assert(
      fc.property(fc.array(labelArb, { minLength: 1, maxLength: 3 }), (labels) => {
        const prefix = labels.join('.');
        expect(isEligibleDomain(`${prefix}.fed.us`, policy)).toBe(true);
        // Gluing the prefix onto the suffix without a dot (`xfed.us`) is not "under" fed.us.
        expect(isEligibleDomain(`${prefix}fed.us`, policy)).toBe(false);
        // fed.us followed by more labels is eligible only if those labels end in gov, mil or fed.us again.
        const after = `fed.us.${prefix}`;
        const expected = ['gov', 'mil'].includes(lastLabel(prefix)) || after.toLowerCase().endsWith('.fed.us');
        expect(isEligibleDomain(after, policy)).toBe(expected);
      }),
    );
  });

  it('never accepts anything at or under a denied domain', () => {
    const policy: EligibilityPolicy = { allowedDomainSuffixes: ['fed.us'], deniedDomains: ['bad.gov', 'x.fed.us'] };
    fc.assert(
      fc.property(fc.array(labelArb, { maxLength: 3 }), fc.constantFrom('bad.gov', 'BAD.gov', 'x.fed.us', 'X.Fed.US'), (labels, denied) => {
        expect(isEligibleDomain([...labels, denied].join('.'), policy)).toBe(false);
      }),
    );
  });
});

describe('isGovernmentLookalike: an internationalised (xn--) label in a government domain', () => {
  const policy: EligibilityPolicy = { allowedDomainSuffixes: ['fed.us'], deniedDomains: [] };

  it.each([
    'xn--agenc-ize.gov', // agencу.gov with a Cyrillic у, as a browser sends it
    'it.xn--agenc-ize.gov',
    'XN--agenc-ize.GOV',
    'xn--rmy-yma.mil',
    'xn--80ak6aa92e.army.mil',
    'xn--stte-loa.fed.us',
  ])('refuses %s', (domain) => {
    expect(isGovernmentLookalike(domain, policy)).toBe(true);
  });

  it.each(['agency.gov', 'us.af.mil', 'xn--agenc-ize.com', 'xn--bcher-kva.example', 'xnagency.gov', 'x-n--a.gov'])(
    'leaves %s alone (no xn-- label, or not a government domain)',
    (domain) => {
      expect(isGovernmentLookalike(domain, policy)).toBe(false);
    },
  );

  it('finds an xn-- label at any depth of any eligible domain', () => {
    fc.assert(
      fc.property(fc.array(labelArb, { maxLength: 2 }), fc.array(labelArb, { maxLength: 1 }), (before, after) => {
        const domain = [...before, 'xn--agenc-ize', ...after, 'gov'].join('.');
        expect(isGovernmentLookalike(domain, policy)).toBe(true);
      }),
    );
  });
});
