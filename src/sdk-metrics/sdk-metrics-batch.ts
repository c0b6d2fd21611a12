/** One `{key, value}` pair; the Node SDK sends `null` for a `target` it does not have. */
export interface MetricAttribute {
  key: string;
  value: string | null;
}

/** A `metricsData` entry as SDKs send it and Harness receives it (docs/sdk-api.md). */
export interface MetricsEntry {
  timestamp: number;
  count: number;
  metricsType: string;
  attributes: MetricAttribute[];
}

/** A `targetData` entry. */
export interface TargetEntry {
  identifier: string;
  name?: string;
  attributes?: { key: string; value: string }[];
}

/** What an SDK posts to `POST /metrics/{env}`; both parts are optional. */
export interface SdkMetricsBatch {
  metricsData?: MetricsEntry[];
  targetData?: TargetEntry[];
}

/** The two halves of a batch, forwarded upstream as separate POSTs like the Go proxy does. */
export interface PartEntries {
  metricsData: MetricsEntry;
  targetData: TargetEntry;
}

export type PartKind = keyof PartEntries;

/** The value of the first attribute named `key`, or `undefined` when there is none. */
export function attributeValue(entry: MetricsEntry, key: string): string | undefined {
  const value = entry.attributes.find((attribute) => attribute.key === key)?.value;
  return value ?? undefined;
}

/**
 * The aggregation key of docs/upstream.md: flag (`featureIdentifier`, else `featureName`),
 * variation, SDK language and SDK version. Encoded as a JSON array so that a `-` inside a flag
 * identifier cannot make two keys collide, as it can with Go's `-`-joined key.
 */
export function aggregationKey(entry: MetricsEntry): string {
  return JSON.stringify([
    attributeValue(entry, 'featureIdentifier') ?? attributeValue(entry, 'featureName') ?? '',
    attributeValue(entry, 'variationIdentifier') ?? '',
    attributeValue(entry, 'SDK_LANGUAGE') ?? '',
    attributeValue(entry, 'SDK_VERSION') ?? '',
  ]);
}

/** Byte length of a value's JSON encoding: how big it is on the wire. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
