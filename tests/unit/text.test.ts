import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textProblem } from '../../functions/core/text';

describe('text people write: what is kept as written', () => {
  it.each([
    'Dana Contractor',
    'José Núñez-O’Brien',
    'Zoë Ångström',
    '李小龙',
    'Nguyễn Thị Minh Khai',
    'محمد عبد الله',
    'Acme Integrations, Inc.',
    'A/B Testing Co.',
    'Smith & Sons Ltd.',
    'Re: access for the Q3 release',
    'J. R. Smith',
    'St. Louis Data Corp.',
    'Version 1.2 rollout',
    'Acme Inc.',
  ])('%s', (text) => {
    expect(textProblem(text, { noLinks: true })).toBeUndefined();
  });

  it('keeps line breaks and tabs in multi-line text', () => {
    expect(textProblem('We build the login.\r\nSecond line.\n\tIndented.', { multiline: true })).toBeUndefined();
  });
});

describe('text people write: what is refused', () => {
  it.each([
    ['a lone high surrogate', 'X \ud800', 'ill_formed'],
    ['a lone low surrogate', '\udc00 Y', 'ill_formed'],
    ['surrogates in the wrong order', '\udc00\ud800', 'ill_formed'],
    ['NUL', 'a\u0000b', 'control'],
    ['escape', 'a\u001bb', 'control'],
    ['a C1 control', 'a\u0085b', 'control'],
    ['a line feed in a one-line field', 'Dana\nContractor', 'control'],
    ['right-to-left override', 'moc.evil\u202Egpj', 'invisible'],
    ['left-to-right mark', 'Dana\u200E', 'invisible'],
    ['isolate', '\u2067Dana\u2069', 'invisible'],
    ['Arabic letter mark', 'a\u061Cb', 'invisible'],
    ['zero-width space', 'ssa\u200B.gov', 'invisible'],
    ['zero-width joiner', 'a\u200Db', 'invisible'],
    ['word joiner', 'a\u2060b', 'invisible'],
    ['byte-order mark', '\uFEFFDana', 'invisible'],
    ['a tag character', 'a\u{E0041}b', 'invisible'],
    ['Hangul filler', 'Dana\u3164Lee', 'invisible'],
    ['halfwidth Hangul filler', 'Dana\uFFA0', 'invisible'],
    ['Hangul choseong filler', '\u115FDana', 'invisible'],
    ['combining grapheme joiner', 'Da\u034Fna', 'invisible'],
    ['a variation selector', 'Dana\uFE0F', 'invisible'],
    ['Mongolian free variation selector', 'Dana\u180B', 'invisible'],
    ['line separator', 'Dana\u2028Review the request', 'separator'],
    ['paragraph separator', 'Dana\u2029x', 'separator'],
  ] as const)('%s', (_, text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });

  it('refuses the separators and invisible characters in multi-line text too', () => {
    expect(textProblem('line one\u2028line two', { multiline: true })).toBe('separator');
    expect(textProblem('see \u202Ethis', { multiline: true })).toBe('invisible');
    expect(textProblem('a\u0007b', { multiline: true })).toBe('control');
  });

  it.each([
    'https://evil.example.com',
    'Dana (http://x.co)',
    'HTTP:evil',
    'javascript:alert(1)',
    'mailto:boss@agency.gov',
    'ftp://files',
    'www.evil.com',
    'Visit WWW.EVIL.COM now',
    'evil.com/review',
    'ssa.gov.sec-review.com/approve?id=1',
    'data:text/html,hi',
    'evil.com?approve=1',
    'evil.com#approve',
    'evil.com:8443/x',
    '//evil.com',
    'evil.com\\approve',
    'evil\u3002com/x',
    'evil\uFF0Ecom/x',
    '\uFF57\uFF57\uFF57.evil.com',
    '\uFF48\uFF54\uFF54\uFF50\uFF53://evil.com',
    'evil.com\uFF0Fx',
    '192.0.2.1/login',
    '192.0.2.1',
    'evil.xn--p1ai/x',
    'пример.рф/approve',
    'пример.рф',
    'sec-review.com',
    'Acme (acme-corp.com)',
    'bit.ly',
    'piv-reverify.gov',
    'WWW\u3002evil\u3002com',
  ])('refuses link-like text where links are not allowed: %s', (text) => {
    expect(textProblem(text, { noLinks: true })).toBe('link');
    expect(textProblem(text)).toBeUndefined();
  });

  it('never accepts ill-formed text, whatever surrounds it', () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string(), lone, fc.string(), (before, surrogate, after) => {
        const text = `${before}${surrogate}${after}`;
        fc.pre(!text.isWellFormed());
        expect(textProblem(text, { multiline: true })).toBe('ill_formed');
      }),
    );
  });
});
