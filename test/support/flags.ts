import type { FeatureConfig } from '../../src/model/feature-config.js';

/** A boolean flag that serves `true` when on and `false` when off, for tests to adjust. */
export function booleanFlag(feature: string, fields: Partial<FeatureConfig> = {}): FeatureConfig {
  return {
    feature,
    kind: 'boolean',
    state: 'on',
    offVariation: 'false',
    defaultServe: { variation: 'true' },
    variations: [
      { identifier: 'true', value: 'true' },
      { identifier: 'false', value: 'false' },
    ],
    ...fields,
  };
}
