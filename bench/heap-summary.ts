/**
 * Summarises a V8 heap snapshot by constructor: what the live set is made of.
 *   npx tsx bench/heap-summary.ts <file.heapsnapshot> [--top N]
 * The bench writes one per scale primary and replica when run with `--cpu-prof <dir>`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapRow {
  name: string;
  count: number;
  bytes: number;
}

/** Shallow (self) size by constructor; strings, arrays, code and the like grouped by their type. */
export function summariseHeap(snapshot: Snapshot): { total: number; rows: HeapRow[] } {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const rows = new Map<string, HeapRow>();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? 'unknown';
    const bytes = snapshot.nodes[i + sizeAt] ?? 0;
    const name =
      type === 'object' || type === 'closure'
        ? `${snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?'}${type === 'closure' ? ' (closure)' : ''}`
        : `(${type})`;
    let row = rows.get(name);
    if (!row) {
      row = { name, count: 0, bytes: 0 };
      rows.set(name, row);
    }
    row.count += 1;
    row.bytes += bytes;
    total += bytes;
  }
  return { total, rows: [...rows.values()].sort((a, b) => b.bytes - a.bytes) };
}

const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);

export function heapTable(summary: { total: number; rows: HeapRow[] }, top: number): string {
  const lines = [
    `Live heap: ${mib(summary.total)} MiB (self sizes).`,
    '',
    '| Constructor or type | count | MiB | % |',
    '|---|---:|---:|---:|',
    ...summary.rows
      .slice(0, top)
      .map(
        (row) =>
          `| ${row.name.replace(/\|/g, '\\|')} | ${row.count.toLocaleString('en-US')} | ${mib(row.bytes)} | ${((100 * row.bytes) / Math.max(1, summary.total)).toFixed(1)} |`,
      ),
  ];
  return lines.join('\n');
}

export async function summariseHeapFile(file: string, top = 20): Promise<string> {
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  return heapTable(summariseHeap(snapshot), top);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' } },
  });
  const [file] = positionals;
  if (!file) {
    console.error('usage: npx tsx bench/heap-summary.ts <file.heapsnapshot> [--top N]');
    process.exit(2);
  }
  summariseHeapFile(file, Number(values.top ?? 20)).then(console.log, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
