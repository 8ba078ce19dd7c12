import { type GrantUse, grantUse } from './grant-use';
import type { Check } from './iam-gateway';
import { cast, type Journey, journeys } from './journeys';
import { Rehearsal, type RehearsalOptions } from './rehearsal';

export interface JourneyResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly ms: number;
}

export interface RehearsalReport {
  /** The stack's functions, by short name, in the template's order. */
  readonly functions: readonly string[];
  readonly journeys: readonly JourneyResult[];
  readonly checks: readonly Check[];
  /** Calls AWS would refuse: each names function, action, resource and the missing grant. */
  readonly denied: readonly Check[];
  readonly grants: GrantUse;
  readonly ms: number;
  readonly ok: boolean;
}

/**
 * Runs the journeys (all, or those whose name contains `only`) against the stack in
 * `assemblyDir`. A journey stops at its first failure; the rest still run, so one report names
 * every call AWS would refuse.
 */
export async function rehearse(
  options: RehearsalOptions & { only?: readonly string[]; onJourney?: (result: JourneyResult) => void },
): Promise<RehearsalReport> {
  const started = Date.now();
  const rehearsal = await Rehearsal.open(options);
  const results: JourneyResult[] = [];
  try {
    const chosen: readonly Journey[] = options.only
      ? journeys.filter((journey) => options.only!.some((name) => journey.name.includes(name)))
      : journeys;
    for (const journey of chosen) {
      const begun = Date.now();
      const deniedBefore = rehearsal.gateway.denied().length;
      let error: string | undefined;
      try {
        await journey.run(rehearsal, cast);
      } catch (failure) {
        error = (failure as Error).message;
      }
      const denied = rehearsal.gateway.denied().slice(deniedBefore);
      if (denied.length) error = `${denied.map((check) => `AccessDenied: ${check.reason}`).join('\n')}${error ? `\nthen: ${error}` : ''}`;
      const result: JourneyResult = { name: journey.name, ok: error === undefined, ...(error ? { error } : {}), ms: Date.now() - begun };
      results.push(result);
      options.onJourney?.(result);
    }
    const checks = [...rehearsal.gateway.checks];
    const denied = rehearsal.gateway.denied();
    return {
      functions: rehearsal.model.functions.map((fn) => fn.name),
      journeys: results,
      checks,
      denied,
      grants: grantUse(rehearsal.model, checks),
      ms: Date.now() - started,
      ok: results.every((result) => result.ok) && denied.length === 0,
    };
  } finally {
    await rehearsal.close();
  }
}
