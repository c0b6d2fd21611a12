/**
 * Wire shapes of the Harness feature-flag objects, exactly as the upstream service and the
 * SDK-facing API carry them (docs/sdk-api.md, docs/upstream.md). Optional fields are
 * omitted (never `null`) once an object has been normalised for storage.
 */

export type FlagKind = 'boolean' | 'int' | 'string' | 'json';

export interface Variation {
  identifier: string;
  value: string;
  name?: string;
  description?: string;
}

export interface WeightedVariation {
  variation: string;
  weight: number;
}

export interface Distribution {
  bucketBy: string;
  variations: WeightedVariation[];
}

export interface Serve {
  variation?: string;
  distribution?: Distribution;
}

export interface Clause {
  id?: string;
  attribute: string;
  op: string;
  negate?: boolean;
  values: string[];
}

export interface ServingRule {
  ruleId?: string;
  priority: number;
  clauses: Clause[];
  serve: Serve;
}

export interface TargetRef {
  identifier: string;
  name: string;
}

export interface VariationMap {
  variation: string;
  targets?: TargetRef[];
  targetSegments?: string[];
}

export interface Prerequisite {
  feature: string;
  variations: string[];
}

export interface FeatureConfig {
  feature: string;
  /** One of {@link FlagKind}; kept open because upstream data is passed through untouched. */
  kind: string;
  /** `on` or `off`; any other value evaluates as off. */
  state: string;
  offVariation: string;
  defaultServe: Serve;
  variations: Variation[];
  rules?: ServingRule[];
  variationToTargetMap?: VariationMap[];
  prerequisites?: Prerequisite[];
  environment?: string;
  project?: string;
  version?: number;
}
