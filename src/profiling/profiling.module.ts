// Owns the optional profilers: Go-format pprof profiles on 127.0.0.1 (PPROF) and Google Cloud
// Profiler's agent (GCP_PROFILER_ENABLED). Neither exists, nor listens, unless asked for.
import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { GcpProfilerAgent } from './gcp-profiler.service.js';
import { PprofListener } from './pprof-listener.service.js';

@Module({})
export class ProfilingModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ProfilingModule,
      providers: [
        ...(config.profiling.pprof ? [PprofListener] : []),
        ...(config.profiling.gcp ? [GcpProfilerAgent] : []),
      ],
    };
  }
}
