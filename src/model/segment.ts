import type { Clause } from './feature-config.js';
import type { Target } from './target.js';

/** A v2 segment rule: every clause must match (AND). */
export interface GroupServingRule {
  ruleId: string;
  priority: number;
  clauses: Clause[];
}

export interface Tag {
  name: string;
  identifier: string;
}

/** A target group (docs/sdk-api.md). */
export interface Segment {
  identifier: string;
  name: string;
  environment?: string;
  included?: Target[];
  excluded?: Target[];
  /** Legacy rules: each element is one clause; any match includes the target (OR). */
  rules?: Clause[];
  servingRules?: GroupServingRule[];
  tags?: Tag[];
  createdAt?: number;
  modifiedAt?: number;
  version?: number;
}
