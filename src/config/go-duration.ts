/** One Go duration unit and its length in milliseconds (`time.ParseDuration`). */
const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const NUMBER_UNIT = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)`;
const DURATION = new RegExp(`^(?:${NUMBER_UNIT})+$`);
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;

/**
 * Parses a Go duration string (`"500ms"`, `"90s"`, `"1h30m"`, `"0"`) into milliseconds, or
 * returns undefined when it is not one. Negative durations are refused: no setting wants one.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') {
    return 0;
  }
  if (!DURATION.test(text)) {
    return undefined;
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    ms += Number(amount) * (UNITS[unit as string] ?? 0);
  }
  return ms;
}

/** Validation pattern for env vars that take a Go duration. */
export const GO_DURATION_PATTERN = new RegExp(`^0$|${DURATION.source}`);
