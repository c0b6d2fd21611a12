import type { RulesVersion } from '../cache/segment-set.js';

/** The content type of every JSON answer of the SDK API, as the SaaS sends it. */
export const JSON_UTF8 = 'application/json; charset=utf-8';

/** `?rules=v2` asks for segments' v2 serving rules; anything else, the legacy ones. */
export function rulesVersion(rules: string | undefined): RulesVersion {
  return rules === 'v2' ? 'v2' : 'v1';
}
