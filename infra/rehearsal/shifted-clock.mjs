// The rehearsal's clock, for a process that runs the service's code (a function's runtime, the
// operator's CLI): `Date` reads the machine's time plus REHEARSAL_CLOCK_OFFSET_MS, which the
// rehearsal moves forward so that a year can pass between two steps of a journey. Loaded before
// any of the service's code, and removed from the environment so that code never sees it.
const RealDate = Date;
let offsetMs = Number(process.env.REHEARSAL_CLOCK_OFFSET_MS ?? 0);
delete process.env.REHEARSAL_CLOCK_OFFSET_MS;

class RehearsalDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offsetMs;
  }
}
globalThis.Date = RehearsalDate;

export const realNow = () => RealDate.now();
export function setClockOffset(ms) {
  offsetMs = ms;
}
