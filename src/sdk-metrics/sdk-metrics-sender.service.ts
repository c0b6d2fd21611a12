import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { type ForwardedLabel, METRIC_NAMES, type SdkUsageLabel } from '../metrics/metric-names.js';
import {
  attributeValue,
  type MetricsEntry,
  type PartEntries,
  type PartKind,
} from './sdk-metrics-batch.js';
import { SdkLabelBudget } from './sdk-labels.js';

/** What the forwarder needs of a sender: one part posted, its failure returned, never thrown. */
export interface PartSender {
  send<K extends PartKind>(kind: K, env: string, entries: PartEntries[K][]): Promise<unknown>;
}

/**
 * Posts one environment's part upstream and accounts for it in Prometheus
 * (`ff_proxy_metrics_forwarded`, `ff_proxy_sdk_usage`: docs/prometheus-metrics.md).
 */
@Injectable()
export class SdkMetricsSender implements PartSender {
  private readonly labels = new SdkLabelBudget();

  constructor(
    private readonly upstream: UpstreamClient,
    @InjectMetric(METRIC_NAMES.metricsForwarded)
    private readonly forwarded: Counter<ForwardedLabel>,
    @InjectMetric(METRIC_NAMES.sdkUsage) private readonly usage: Counter<SdkUsageLabel>,
  ) {}

  /**
   * `{"metricsData":[...]}` or `{"targetData":[...]}` to `POST /metrics/{env}`. Resolves to the
   * error when the POST failed (network error, non-200, no token); never rejects.
   */
  async send<K extends PartKind>(
    kind: K,
    env: string,
    entries: PartEntries[K][],
  ): Promise<unknown> {
    let failure: unknown;
    try {
      await this.upstream.postMetrics(env, { [kind]: entries });
    } catch (err) {
      failure = err ?? new Error('metrics POST failed');
    }
    this.forwarded.inc({ envID: env, error: String(failure !== undefined) });
    if (kind === 'metricsData') {
      this.countUsage(env, entries as MetricsEntry[]);
    }
    return failure;
  }

  /** Go counts every attempt, success or not: +1 per entry posted, labelled by its SDK. */
  private countUsage(env: string, entries: MetricsEntry[]): void {
    for (const entry of entries) {
      this.usage.inc({
        envID: env,
        ...this.labels.labels(
          attributeValue(entry, 'SDK_TYPE') ?? '',
          attributeValue(entry, 'SDK_VERSION') ?? attributeValue(entry, 'JAR_VERSION') ?? '',
          attributeValue(entry, 'SDK_LANGUAGE') ?? '',
        ),
      });
    }
  }
}
