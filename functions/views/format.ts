import type { Link } from '../core/email';
import type { Agency } from '../core/registry';

/** 86400 → "24 hours", 900 → "15 minutes". */
export function describeDuration(seconds: number): string {
  const [size, unit] =
    seconds % 86_400 === 0 && seconds >= 2 * 86_400
      ? [seconds / 86_400, 'day']
      : seconds >= 3600
        ? [Math.round(seconds / 3600), 'hour']
        : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return `${size} ${unit}${size === 1 ? '' : 's'}`;
}

/** `2030-01-15T12:00:00.000Z` (or that Date) → "2030-01-15 12:00 UTC", in pages and emails alike. */
export function formatTime(time: Date | string): string {
  const iso = typeof time === 'string' ? time : time.toISOString();
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** When an email's token link stops working (its epoch seconds as a time to show). */
export function expiryOf(link: Link | undefined): Date {
  return new Date((link?.expiresAt ?? 0) * 1000);
}

/** "General Services Administration (Office of GSA IT)": the registry's organization, and its suborganization when it names one. */
export function agencyName(agency: Agency): string {
  return agency.suborganization ? `${agency.organization} (${agency.suborganization})` : agency.organization;
}

/**
 * The organization as a sentence names it: "the General Services Administration". A one-word
 * name (an allowed suffix such as `fed.us`, "Amtrak") and a name that brings its own "The" take none.
 */
export function inSentence(organization: string): string {
  return /\s/.test(organization.trim()) && !/^the\s/i.test(organization) ? `the ${organization}` : organization;
}

/** The agency in a sentence, suborganization included: "the General Services Administration (Office of GSA IT)". */
export function agencyInSentence(agency: Agency): string {
  return agency.suborganization ? `${inSentence(agency.organization)} (${agency.suborganization})` : inSentence(agency.organization);
}
