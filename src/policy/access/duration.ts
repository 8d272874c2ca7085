// Human durations in policy files ("30s", "15m", "4h", "3d", "2w") and ISO 8601 ("P7D", "PT30S", as OIG
// sends accessDuration), turned into milliseconds once, at validation, so workflows handle plain numbers.

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export function parseDurationMs(text: string): number | undefined {
  const simple = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$/i.exec(text);
  if (simple?.[1] && simple[2]) {
    return Math.round(Number(simple[1]) * UNIT_MS[simple[2].toLowerCase() as keyof typeof UNIT_MS]);
  }
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (iso && text.trim().length > 1 && !/T$/i.test(text.trim())) {
    const [, w, d, h, m, s] = iso;
    return Math.round(
      Number(w ?? 0) * UNIT_MS.w +
        Number(d ?? 0) * UNIT_MS.d +
        Number(h ?? 0) * UNIT_MS.h +
        Number(m ?? 0) * UNIT_MS.m +
        Number(s ?? 0) * UNIT_MS.s,
    );
  }
  return undefined;
}

/** "3d 4h" style rendering for notes and messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, secs] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / secs);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * secs;
  }
  return parts.join(' ');
}
