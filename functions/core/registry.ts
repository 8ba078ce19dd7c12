import { parse } from 'csv-parse/sync';
import { isAtOrUnder } from './address';

/**
 * The official .gov registry (CISA's public list of every registered .gov domain, refreshed
 * daily): which domains exist, their type (federal, state, city, tribal…) and who holds them. It
 * decides what a `.gov` address is, where ending in `.gov` is only a spelling.
 */
export interface RegisteredDomain {
  /** Lower case, e.g. `gsa.gov`. */
  readonly domain: string;
  /** As the registry says, e.g. `Federal - Executive`, `City`, `Tribal`. */
  readonly type: string;
  readonly organization: string;
  readonly suborganization?: string;
}

/** Who an account's address belongs to, as the registry names it. */
export interface Agency {
  readonly organization: string;
  readonly suborganization?: string;
  readonly domainType: string;
}

export const agencyOf = (registered: RegisteredDomain): Agency => ({
  organization: registered.organization,
  ...(registered.suborganization ? { suborganization: registered.suborganization } : {}),
  domainType: registered.type,
});

/**
 * The columns a load needs, by the names the registry gives them (columns were renamed and
 * reordered within the last year: they are found by name, never by position).
 */
export const REGISTRY_COLUMNS = {
  domain: 'Domain name',
  type: 'Domain type',
  organization: 'Organization name',
  suborganization: 'Suborganization name',
} as const;

/** A load is refused when it holds fewer domains than this share of the last good one. */
export const SHRINK_LIMIT = 0.9;

export type RegistryParse =
  | { readonly ok: true; readonly domains: ReadonlyMap<string, RegisteredDomain> }
  | { readonly ok: false; readonly problem: string };

const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.gov$/;

/**
 * The registry's CSV, read by header name with a maintained parser. Refused (nothing of it is
 * used) when a needed column is missing or a row is malformed; rows whose domain is not a
 * second-level `.gov` name are skipped.
 */
export function parseRegistry(csv: string): RegistryParse {
  let missing: string[] = [];
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      columns: (header: string[]) => {
        missing = Object.values(REGISTRY_COLUMNS).filter((name) => !header.includes(name));
        return header;
      },
    }) as Record<string, string>[];
  } catch (error) {
    return { ok: false, problem: `the file is not CSV the registry writes: ${(error as Error).message}` };
  }
  if (missing.length)
    return {
      ok: false,
      problem: `the column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
    };
  const domains = new Map<string, RegisteredDomain>();
  for (const row of rows) {
    const domain = (row[REGISTRY_COLUMNS.domain] ?? '').toLowerCase();
    const type = row[REGISTRY_COLUMNS.type] ?? '';
    const organization = row[REGISTRY_COLUMNS.organization] ?? '';
    if (!DOMAIN.test(domain) || !type || !organization) continue;
    const suborganization = row[REGISTRY_COLUMNS.suborganization];
    domains.set(domain, { domain, type, organization, ...(suborganization ? { suborganization } : {}) });
  }
  return { ok: true, domains };
}

/** Whether a load may replace the last good one: it must not have shrunk past the limit. */
export function shrinkProblem(loaded: number, lastGood: number | undefined): string | undefined {
  if (lastGood === undefined || loaded >= lastGood * SHRINK_LIMIT) return undefined;
  return `it lists ${loaded} domains, fewer than ${Math.round(SHRINK_LIMIT * 100)} % of the last good load (${lastGood})`;
}

/** What a load changes: domains new or different, and domains gone (marked removed, never deleted). */
export function registryChanges(
  current: ReadonlyMap<string, RegisteredDomain & { readonly removedAt?: string }>,
  next: ReadonlyMap<string, RegisteredDomain>,
): { readonly upserts: RegisteredDomain[]; readonly removed: RegisteredDomain[] } {
  const upserts = [...next.values()].filter((domain) => {
    const was = current.get(domain.domain);
    return (
      !was ||
      was.removedAt !== undefined ||
      was.type !== domain.type ||
      was.organization !== domain.organization ||
      was.suborganization !== domain.suborganization
    );
  });
  const removed = [...current.values()]
    .filter((was) => was.removedAt === undefined && !next.has(was.domain))
    .map(({ removedAt: _never, ...was }) => was);
  return { upserts, removed };
}

/** Who holds a `.mil` address: there is no public .mil registry. */
export const MILITARY: Agency = { organization: 'Department of Defense', domainType: 'Military' };

/** The domain type given to an address admitted by ALLOWED_DOMAIN_SUFFIXES (its organization is the suffix). */
export const ALLOWED_SUFFIX_TYPE = 'Allowed suffix';

/** Who holds an address the registry does not decide: `.mil` is the Department of Defense; an allowed suffix names itself. */
export function agencyOffRegistry(domain: string, allowedSuffixes: readonly string[]): Agency | undefined {
  const host = domain.toLowerCase();
  if (isAtOrUnder(host, 'mil')) return MILITARY;
  const suffix = allowedSuffixes.find((candidate) => isAtOrUnder(host, candidate));
  return suffix ? { organization: suffix, domainType: ALLOWED_SUFFIX_TYPE } : undefined;
}

/** Whether an address's domain is one the registry decides: `.gov` (label-exact). `.mil` has no public registry. */
export function isRegistryDomain(domain: string): boolean {
  return domain.toLowerCase().endsWith('.gov');
}

export type RegistryVerdict =
  | { readonly verdict: 'registered'; readonly agency: Agency }
  /** Not listed, or listed as removed: ending in `.gov` is only a spelling. */
  | { readonly verdict: 'not_registered' }
  /** Listed, but of a type this deployment does not admit here (e.g. only federal domains). */
  | { readonly verdict: 'type_not_admitted'; readonly type: string };

/**
 * What the registry says of a `.gov` address's registrable domain (`it.gsa.gov` → `gsa.gov`,
 * looked up by the caller), given the domain types admitted (none listed: every type).
 */
export function registryVerdict(
  entry: (RegisteredDomain & { readonly removedAt?: string }) | undefined,
  admittedTypes: readonly string[],
): RegistryVerdict {
  if (!entry || entry.removedAt !== undefined) return { verdict: 'not_registered' };
  if (admittedTypes.length && !admittedTypes.includes(entry.type)) return { verdict: 'type_not_admitted', type: entry.type };
  return { verdict: 'registered', agency: agencyOf(entry) };
}
