/** One line of a scrape: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed Prometheus text-format (0.0.4) scrape, enough for tests to ask what moved. */
export class Scrape {
  constructor(
    readonly samples: readonly Sample[],
    /** Metric family name → its `# TYPE` (counter, gauge, histogram…). */
    readonly types: ReadonlyMap<string, string>,
  ) {}

  /** The sum of the samples named `name` whose labels include `labels`; 0 when there are none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + sample.value, 0);
  }

  /** The samples named `name` whose labels include `labels`. */
  matching(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  }

  /** Whether a family of that name is exported (declared by `# TYPE`, with or without series). */
  has(family: string): boolean {
    return this.types.has(family);
  }

  /** The label names a family's samples carry (`le` included for histogram buckets). */
  labelNames(name: string): string[] {
    return [
      ...new Set(this.samples.filter((s) => s.name === name).flatMap((s) => Object.keys(s.labels))),
    ];
  }

  /** The `le` bounds of a histogram (without `+Inf`), from its first series. */
  buckets(family: string): number[] {
    const bounds: number[] = [];
    for (const sample of this.samples.filter((s) => s.name === `${family}_bucket`)) {
      const le = sample.labels.le ?? '';
      if (le === '+Inf') {
        break;
      }
      bounds.push(Number(le));
    }
    return bounds;
  }
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseScrape(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = ''] = line.slice('# TYPE '.length).split(' ');
      types.set(name, type);
      continue;
    }
    const match = line.startsWith('#') ? null : SAMPLE.exec(line);
    if (!match) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return new Scrape(samples, types);
}
