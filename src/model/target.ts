/** Attribute values as decoded from JSON (docs/evaluation.md says how each is compared). */
export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/**
 * A target as SDKs send it (`/client/auth`, `Harness-Target`) and as segments and the target
 * store hold it. Only `identifier` is always present.
 */
export interface Target {
  identifier: string;
  name?: string;
  anonymous?: boolean;
  attributes?: Record<string, AttributeValue>;
  account?: string;
  org?: string;
  project?: string;
  environment?: string;
  createdAt?: number;
  segments?: unknown[];
}
