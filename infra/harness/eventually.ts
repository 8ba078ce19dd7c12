/** Polls until `check` holds (timed work runs on its own timers), or fails after `ms` with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 45_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms: ${JSON.stringify(value).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
