import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/service/config';

const MINIMAL = { TABLE_NAME: 'gatekeeper', MAIL_FROM: 'no-reply@sandbox.example.gov' };

describe('the footer’s policy links (PRIVACY_URL, ACCESSIBILITY_URL)', () => {
  it('are optional', () => {
    const config = loadConfig(MINIMAL);

    expect([config.privacyUrl, config.accessibilityUrl]).toEqual([undefined, undefined]);
  });

  it('are read when set', () => {
    const config = loadConfig({
      ...MINIMAL,
      PRIVACY_URL: 'https://a.example.gov/privacy',
      ACCESSIBILITY_URL: 'https://a.example.gov/a11y',
    });

    expect([config.privacyUrl, config.accessibilityUrl]).toEqual(['https://a.example.gov/privacy', 'https://a.example.gov/a11y']);
  });

  it.each([
    ['PRIVACY_URL', 'http://a.example.gov/privacy'],
    ['PRIVACY_URL', 'privacy'],
    ['ACCESSIBILITY_URL', 'javascript:alert(1)'],
    ['ACCESSIBILITY_URL', 'http://localhost/a11y'],
  ])('refuses %s=%s at start, naming the variable', (variable, value) => {
    expect(() => loadConfig({ ...MINIMAL, [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...MINIMAL, [variable]: value })).toThrow(expect.objectContaining({ variable }));
  });
});
