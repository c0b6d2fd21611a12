import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@harnessio/ff-nodejs-server-sdk';
import type { EvaluationContext } from '../../../src/evaluation/evaluation-context.js';
import { evaluateOne } from '../../../src/evaluation/evaluator.js';
import type { FeatureConfig, FlagKind } from '../../../src/model/feature-config.js';
import { nodeSdkClient, variation } from '../node-sdk.js';
import type { DifferentialTarget } from './raw-environment.js';

/** What `variation()` in node-sdk.ts reports when the SDK served the caller's default. */
const SDK_DEFAULTS: Readonly<Record<FlagKind, unknown>> = {
  boolean: '<<default>>',
  int: Number.NaN,
  string: '<<default>>',
  json: { '<<default>>': true },
};

/** A polling-only client (no stream, no metrics, no retries) that has loaded its environment. */
export async function connectSdk(baseUrl: string, sdkKey: string): Promise<Client> {
  const client = nodeSdkClient(sdkKey, baseUrl, {
    enableStream: false,
    enableAnalytics: false,
    axiosRetries: 0,
  });
  await client.waitForInitialization();
  return client;
}

/** Our evaluation, converted the way the Node SDK converts a variation value for the flag's kind. */
export function oursAsSdkValue(
  ctx: EvaluationContext,
  flag: FeatureConfig,
  target: DifferentialTarget,
): unknown {
  const kind = flag.kind as FlagKind;
  const result = evaluateOne(ctx, flag.feature, target);
  if (result.status !== 'ok') {
    return SDK_DEFAULTS[kind];
  }
  const value = result.evaluation.value;
  switch (kind) {
    case 'boolean':
      return value.toLowerCase() === 'true';
    case 'int':
      return Number.parseFloat(value);
    case 'string':
      return value;
    case 'json':
      return JSON.parse(value) as unknown;
    default:
      throw new Error(`unknown flag kind ${String(kind)}`);
  }
}

/** The unmodified SDK's answer, on a copy of the target so that neither side can affect the other. */
export function theirsFromSdk(
  client: Client,
  flag: FeatureConfig,
  target: DifferentialTarget,
): Promise<unknown> {
  return variation(client, flag.kind as FlagKind, flag.feature, structuredClone(target));
}

/** `undefined` when both agree, else a message naming the flag, the target and both answers. */
export function describeMismatch(
  flag: FeatureConfig,
  target: DifferentialTarget,
  ours: unknown,
  theirs: unknown,
): string | undefined {
  if (isDeepStrictEqual(ours, theirs)) {
    return undefined;
  }
  return [
    `flag ${flag.feature} (${flag.kind}) differs for target ${JSON.stringify(target)}`,
    `  ours (proxy evaluator): ${show(ours)}`,
    `  theirs (Node SDK):      ${show(theirs)}`,
    `  flag: ${JSON.stringify(flag)}`,
  ].join('\n');
}

// JSON, except that numbers keep NaN (the SDK default we ask for) readable.
const show = (value: unknown): string =>
  typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
