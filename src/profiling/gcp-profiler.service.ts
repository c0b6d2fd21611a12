import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PROXY_VERSION } from '../common/version.js';
import { AppConfig } from '../config/app-config.js';

/**
 * An optional dependency: its native addon is compiled at install (python3, make, g++), so an
 * install without them leaves it out and ff-relay runs without it. Named through a variable so
 * the build does not need it either.
 */
const AGENT_PACKAGE = '@google-cloud/profiler';

interface CloudProfilerAgent {
  start(options: {
    serviceContext: { service: string; version: string };
    disableHeap: boolean;
  }): Promise<void>;
}

/** The Go proxy's service name: `ff-proxy-v2-primary` or `-replica`, then `.<ENV>` if set. */
export function cloudProfilerService(config: AppConfig): string {
  const service = `ff-proxy-v2-${config.mode === 'replica' ? 'replica' : 'primary'}`;
  return config.profiling.env ? `${service}.${config.profiling.env}` : service;
}

/**
 * `GCP_PROFILER_ENABLED=true`: Google Cloud Profiler's agent for Node.js, which finds the project
 * and credentials itself (GCP metadata server, or `GCLOUD_PROJECT` and
 * `GOOGLE_APPLICATION_CREDENTIALS`). As in the Go proxy, an agent that cannot start is one
 * warning and SDKs are served without it.
 */
@Injectable()
export class GcpProfilerAgent implements OnApplicationBootstrap {
  private readonly logger = new Logger(GcpProfilerAgent.name);

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    // Not awaited: off GCP the agent waits seconds for a metadata server that never answers.
    void this.start();
  }

  private async start(): Promise<void> {
    const service = cloudProfilerService(this.config);
    try {
      const agent = await loadAgent();
      // V8 has one heap sampler per process, and the agent stops it when it cannot start:
      // with PPROF on, the heap belongs to /debug/pprof/heap and the agent takes CPU only.
      const disableHeap = this.config.profiling.pprof;
      await agent.start({ serviceContext: { service, version: PROXY_VERSION }, disableHeap });
      this.logger.log(
        { service, heap: !disableHeap },
        'GCP_PROFILER_ENABLED: Cloud Profiler agent started',
      );
    } catch (err) {
      this.logger.warn(
        { service, reason: err instanceof Error ? err.message : String(err) },
        'GCP_PROFILER_ENABLED: Cloud Profiler could not start; serving without it',
      );
    }
  }
}

async function loadAgent(): Promise<CloudProfilerAgent> {
  let loaded: unknown;
  try {
    loaded = await import(AGENT_PACKAGE);
  } catch (err) {
    throw new Error(
      `${AGENT_PACKAGE} is not installed (it needs python3, make and g++ at npm install): ${String(err)}`,
      { cause: err },
    );
  }
  if (!isAgent(loaded)) {
    throw new Error(`${AGENT_PACKAGE} has no start()`);
  }
  return loaded;
}

function isAgent(value: unknown): value is CloudProfilerAgent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { start?: unknown }).start === 'function'
  );
}
