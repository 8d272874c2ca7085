// ISO 8601 durations as OIG uses them for `accessDuration` (PT30S, PT2H, P7D, P1W, P1DT12H): the sandbox
// turns them into milliseconds to schedule the revocation of time-bound access.
const RE = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds for a duration, or undefined when the string is not a supported ISO 8601 duration. */
export function parseIsoDuration(value: string): number | undefined {
  const m = RE.exec(value.trim().toUpperCase());
  if (!m || value.trim().toUpperCase() === 'P' || value.trim().toUpperCase().endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  const ms =
    Number(w ?? 0) * 604_800_000 +
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    Number(s ?? 0) * 1000;
  return ms > 0 ? ms : undefined;
}
