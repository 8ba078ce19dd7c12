import type { OutcomeNotes } from '../core/ports';
import { type Purpose, signFor, verifiedFor } from './jose-signed';
import type { KeyLoader } from './signing-keys';

/** Long enough to land on the page and reload it a few times; short enough that a copied URL soon says nothing. */
const NOTE_TTL_SECONDS = 600;

/** Outcome notes as JWTs of purpose `outcome`: the page they are for (`sub`) and what happened (`o`). */
export class JoseOutcomeNotes implements OutcomeNotes {
  private readonly purpose: Purpose = {
    typ: 'sandbox-outcome+jwt',
    audience: 'sandbox-gatekeeper:outcome',
    ttlSeconds: NOTE_TTL_SECONDS,
  };

  constructor(private readonly keys: KeyLoader) {}

  async sign(page: string, outcome: Readonly<Record<string, string>>, nowMs: number): Promise<string> {
    return (await signFor(this.keys, this.purpose, { sub: page, o: outcome }, nowMs)).token;
  }

  async read(page: string, note: string, nowMs: number): Promise<Readonly<Record<string, string>> | undefined> {
    const claims = await verifiedFor(this.keys, this.purpose, note, nowMs);
    if (claims?.sub !== page || typeof claims.o !== 'object' || claims.o === null) return undefined;
    const entries = Object.entries(claims.o as Record<string, unknown>);
    return entries.every(([, value]) => typeof value === 'string') ? Object.fromEntries(entries as [string, string][]) : undefined;
  }
}
