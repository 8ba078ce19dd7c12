import { randomInt } from 'node:crypto';
import type { Json } from './cloud-assembly';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * A secret value as CloudFormation's `GenerateSecretString` makes it (Secrets Manager's
 * GetRandomPassword rules): `PasswordLength` (32) characters from the classes not excluded, one of
 * each included class when `RequireEachIncludedType` (default), placed under `GenerateStringKey` in
 * `SecretStringTemplate` when one is given.
 */
export function generatedSecret(options: Record<string, Json>): string {
  const excluded = new Set(String(options.ExcludeCharacters ?? ''));
  const classes = [
    options.ExcludeLowercase ? '' : LOWER,
    options.ExcludeUppercase ? '' : UPPER,
    options.ExcludeNumbers ? '' : DIGITS,
    options.ExcludePunctuation ? '' : PUNCTUATION,
    options.IncludeSpace ? ' ' : '',
  ]
    .map((characters) => [...characters].filter((character) => !excluded.has(character)).join(''))
    .filter((characters) => characters.length > 0);
  const length = Number(options.PasswordLength ?? 32);
  const all = classes.join('');
  const pick = (from: string) => from[randomInt(from.length)]!;
  const characters = options.RequireEachIncludedType === false ? [] : classes.map(pick);
  while (characters.length < length) characters.push(pick(all));
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j]!, characters[i]!];
  }
  const password = characters.slice(0, length).join('');
  if (options.SecretStringTemplate === undefined) return password;
  const template = JSON.parse(String(options.SecretStringTemplate)) as Record<string, unknown>;
  return JSON.stringify({ ...template, [String(options.GenerateStringKey)]: password });
}
