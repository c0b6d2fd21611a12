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

/** One `metric{label="…",…}` selector of an expression: the metric and the labels it matches on. */
export interface Selector {
  metric: string;
  labels: string[];
  /** The matchers as written, strings included (`job="$job"`). */
  matchers: string[];
}

/** Every selector with braces in a PromQL expression (or a `label_values(…)` query). */
export function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  for (const [, metric = '', body = ''] of expr.matchAll(
    /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g,
  )) {
    const matchers = [
      ...body.matchAll(/[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g),
    ];
    const written = matchers.map(([m]) => m.replace(/\s+/g, ''));
    found.push({
      metric,
      labels: written.map((m) => /^[a-zA-Z0-9_]+/.exec(m)?.[0] ?? ''),
      matchers: written,
    });
  }
  return found;
}

/**
 * The labels an expression names outside selectors: grouping and matching clauses (`by`,
 * `without`, `on`, `ignoring`, `group_left`/`group_right`) and the label of `label_values`.
 */
export function clauseLabels(expr: string): string[] {
  const stripped = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const labels = new Set<string>();
  for (const [, list = ''] of stripped.matchAll(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
  )) {
    list
      .split(',')
      .map((label) => label.trim())
      .filter((label) => label !== '')
      .forEach((label) => labels.add(label));
  }
  for (const [, label = ''] of stripped.matchAll(
    /\blabel_values\s*\((?:[^(),{}]|\{[^}]*\})*,\s*([a-zA-Z_]\w*)\s*\)/g,
  )) {
    labels.add(label);
  }
  return [...labels];
}
