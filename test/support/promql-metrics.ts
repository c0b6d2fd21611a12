/** PromQL words that look like metric names but are not. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression (or a Grafana `label_values(metric, label)` query)
 * selects. Strings, label matchers, range and subquery brackets and grouping clauses are
 * removed first; what remains is an identifier that is not a function call or a keyword.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\blabel_values\s*\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,[^)]*\)/g, ' $1 ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name = '', call] = match;
    if (!call && !KEYWORDS.has(name.toLowerCase()) && !/^\d/.test(name)) {
      names.add(name);
    }
  }
  return [...names];
}

/**
 * The family a sample name belongs to, given the families a scrape declares: itself, or the
 * histogram (or summary) it is the `_bucket`, `_sum` or `_count` series of.
 */
export function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) {
    return name;
  }
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = match?.[1];
  const type = base === undefined ? undefined : types.get(base);
  if (type === 'histogram' || (type === 'summary' && match?.[2] !== 'bucket')) {
    return base;
  }
  return undefined;
}
