import type { Link } from '../core/email';
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
