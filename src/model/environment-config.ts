import type { FeatureConfig } from './feature-config.js';
import type { Segment } from './segment.js';
import type { Target } from './target.js';

/** Everything the proxy holds for one environment, whatever its source (offline dir, upstream). */
export interface EnvironmentConfig {
  id: string;
  /** SHA-256 hex of each SDK key, without the `auth-key-` prefix. */
  apiKeys: string[];
  featureConfigs: FeatureConfig[];
  segments: Segment[];
  targets: Target[];
}
