import type { HttpRow } from './results.js';

/** What a row is judged by: its ratio to the baseline of its own round, else its rate. */
const score = (row: HttpRow): number =>
  row.baseline ? row.result.requestsPerSecond / row.baseline : row.result.requestsPerSecond;

/**
 * One row per scenario from several rounds: the round with the median score (the lower one of
 * an even count), so a ratio always pairs a row with the baseline measured next to it. Each
 * row keeps every round's score, to show the spread.
 */
export function medianRows(rounds: HttpRow[][]): HttpRow[] {
  const first = rounds[0] ?? [];
  return first.map(({ id }) => {
    const rows = rounds.flatMap((round) => round.filter((row) => row.id === id));
    const sorted = [...rows].sort((a, b) => score(a) - score(b));
    const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? rows[0];
    if (!median) {
      throw new Error(`no measurement of ${id}`);
    }
    return { ...median, scores: rows.map(score) };
  });
}
