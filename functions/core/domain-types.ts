/** The domain types the registry uses (as of the snapshot in the repository): what a deployment may admit by name. */
export const DOMAIN_TYPES = [
  'Federal - Executive',
  'Federal - Legislative',
  'Federal - Judicial',
  'Federal',
  'State or territory',
  'State or territory - Election',
  'Interstate',
  'County',
  'County - Election',
  'City',
  'City - Election',
  'Tribal',
  'Tribal - Election',
  'School district',
  'Special district',
  'Special district - Election',
] as const;

export type DomainType = (typeof DOMAIN_TYPES)[number];
