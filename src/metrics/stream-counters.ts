import { Counter, type Registry } from 'prom-client';
import type { StreamPrefix } from './metric-names.js';

/** The `error` label of the stream counters (docs/prometheus-metrics.md); never `"true"`. */
export type StreamOutcome =
  | 'false'
  | 'stream_disconnect'
  | 'err_publishing'
  | 'err_subscribing'
  | 'err_parsing_message'
  | 'unexpected_error';

/**
 * The three counters Harness wraps every stream endpoint with: `<prefix>_messages_published`,
 * `<prefix>_messages_received` and `<prefix>_subscription_requests`. All three are registered
 * even when the endpoint only goes one way; unused ones have no series.
 */
export class StreamCounters {
  private readonly publishedTotal: Counter<'topic' | 'error'>;
  private readonly receivedTotal: Counter<'topic' | 'error'>;
  private readonly subscriptionsTotal: Counter<'topic'>;

  constructor(
    readonly prefix: StreamPrefix,
    registry: Registry,
  ) {
    const registers = [registry];
    this.publishedTotal = new Counter({
      name: `${prefix}_messages_published`,
      help: 'Messages published, per publish attempt',
      labelNames: ['topic', 'error'],
      registers,
    });
    this.receivedTotal = new Counter({
      name: `${prefix}_messages_received`,
      help: 'Messages delivered to a handler, by the handler result',
      labelNames: ['topic', 'error'],
      registers,
    });
    this.subscriptionsTotal = new Counter({
      name: `${prefix}_subscription_requests`,
      help: 'Subscribe and resubscribe attempts',
      labelNames: ['topic'],
      registers,
    });
  }

  published(topic: string, error: StreamOutcome = 'false'): void {
    this.publishedTotal.inc({ topic, error });
  }

  received(topic: string, error: StreamOutcome = 'false'): void {
    this.receivedTotal.inc({ topic, error });
  }

  subscribed(topic: string): void {
    this.subscriptionsTotal.inc({ topic });
  }
}
