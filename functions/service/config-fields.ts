import { isValidHostname } from '../core/address';
import { DOMAIN_TYPES } from '../core/domain-types';
import type { LimitVariable, VariableName } from './environment';

/**
 * Reading one variable of the environment: text, whole numbers, lists, domains, URLs, origins.
 * Each refusal names the variable (a deploy tool traces it back to its context value).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** The variable at fault, so a deploy tool can name where its value came from. */
    readonly variable: VariableName,
    message: string,
  ) {
    super(message);
  }
}

export type Env = Record<string, string | undefined>;

export function text(env: Env, name: VariableName): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function required(env: Env, name: VariableName): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(name, `${name} is required but not set`);
  return value;
}

export function integer(env: Env, name: LimitVariable, fallback: number, min: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(name, `${name} must be a whole number ≥ ${min}, got "${value}"`);
  }
  return Number(value);
}

/** The last instant a date can hold: 8.64e15 ms after the epoch (ECMAScript's time value range). */
export const LAST_DATE_MS = 8.64e15;

/** Whether a date `seconds` after now can still be held (`new Date` past the last instant is Invalid Date). */
export function fitsADate(seconds: number, nowMs = Date.now()): boolean {
  return nowMs + seconds * 1000 <= LAST_DATE_MS;
}

/**
 * A period of `unitSeconds` each (seconds, days) that is added to a date: refused when the date
 * it gives from now cannot be held, so no record is ever written with an Invalid Date.
 */
export function timeSpan(env: Env, name: LimitVariable, fallback: number, min: number, unitSeconds = 1): number {
  const value = integer(env, name, fallback, min);
  if (!fitsADate(value * unitSeconds)) {
    throw new ConfigError(name, `${name} (${value}) is too long: a date that far from now is past the last one a date can hold`);
  }
  return value;
}

/** The longest delay a Node.js timer takes (2^31-1 ms, about 24.8 days): a longer one fires at once. */
export const LONGEST_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A timer's interval in seconds: refused beyond a timer's range, where it would fire at once, again and again. */
export function interval(env: Env, name: LimitVariable, fallback: number, min: number): number {
  const value = integer(env, name, fallback, min);
  if (value > LONGEST_TIMER_SECONDS) {
    throw new ConfigError(
      name,
      `${name} (${value}) is beyond a timer's range: at most ${LONGEST_TIMER_SECONDS} seconds (about 24.8 days), or a timer fires at once`,
    );
  }
  return value;
}

export function list(env: Env, name: VariableName): string[] {
  return (text(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function domains(env: Env, name: VariableName): string[] {
  return list(env, name).map((item) => {
    const domain = item.replace(/^\./, '');
    if (!isValidHostname(domain, 1)) throw new ConfigError(name, `${name} holds "${item}", which is not a domain name`);
    return domain.toLowerCase();
  });
}

/** Role mailboxes that cannot sponsor anyone: nobody in particular reads them. */
const DEFAULT_DENIED_SPONSOR_MAILBOXES = [
  'info',
  'admin',
  'administrator',
  'noreply',
  'no-reply',
  'postmaster',
  'webmaster',
  'hostmaster',
  'abuse',
  'security',
  'help',
];

/** Registry domain types, by the names the registry uses (a misspelt type would silently admit nobody). */
export function domainTypes(env: Env, name: VariableName): string[] {
  return list(env, name).map((item) => {
    const known = DOMAIN_TYPES.find((type) => type.toLowerCase() === item.toLowerCase());
    if (!known)
      throw new ConfigError(name, `${name} holds "${item}", which is not a .gov registry domain type (${DOMAIN_TYPES.join(', ')})`);
    return known;
  });
}

export function mailboxes(env: Env, name: VariableName): string[] {
  if (text(env, name) === undefined) return DEFAULT_DENIED_SPONSOR_MAILBOXES;
  return list(env, name).map((item) => {
    if (!/^[A-Za-z0-9!#$%&'*+\-/=^_`{|}~.]{1,64}$/.test(item)) {
      throw new ConfigError(name, `${name} holds "${item}", which is not the part of an address before the @`);
    }
    return item.toLowerCase();
  });
}

export function url(env: Env, name: VariableName): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(name, `${name} must be an absolute http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

export function origins(env: Env, name: VariableName): string[] {
  return list(env, name).map((item) => {
    let parsed: URL;
    try {
      parsed = new URL(item);
    } catch {
      throw new ConfigError(name, `${name} holds "${item}", which is not an origin like https://agency.gov`);
    }
    if (parsed.origin === 'null' || parsed.origin !== item.replace(/\/$/, '')) {
      throw new ConfigError(name, `${name} holds "${item}", which is not an origin like https://agency.gov`);
    }
    return parsed.origin;
  });
}
