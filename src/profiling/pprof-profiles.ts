type Pprof = typeof import('@datadog/pprof');

/** Go's `runtime.MemProfileRate`: one heap sample per 512 KiB allocated, on average. */
const HEAP_INTERVAL_BYTES = 512 * 1024;
const HEAP_STACK_DEPTH = 64;
/** Go's CPU profiler samples 100 times a second. */
const CPU_INTERVAL_MICROS = 10_000;

/** A CPU profile is already being taken (V8 runs one per process here, as Go does). */
export class ProfileBusyError extends Error {
  override readonly name = 'ProfileBusyError';
}

/**
 * CPU and heap profiles of this process in Go's pprof format (gzipped protobuf), made by
 * `@datadog/pprof` from V8's own profilers, so `go tool pprof` reads them.
 */
export class PprofProfiles {
  private cancelCpu?: () => void;

  private constructor(private readonly pprof: Pprof) {}

  /**
   * Loads the native profiler only when PPROF asks for it: importing it costs every start
   * ~0.2 s of CPU, a tenth of a relay's boot.
   */
  static async load(): Promise<PprofProfiles> {
    return new PprofProfiles(await import('@datadog/pprof'));
  }

  /** Like Go, which samples allocations all the time: the heap profile covers the process life. */
  startHeapSampling(): void {
    this.pprof.heap.start(HEAP_INTERVAL_BYTES, HEAP_STACK_DEPTH);
  }

  stopHeapSampling(): void {
    this.pprof.heap.stop();
  }

  /** The live heap, as sampled (Go's `/debug/pprof/heap`). */
  heap(): Promise<Buffer> {
    return this.pprof.encode(this.pprof.heap.profile());
  }

  /**
   * Samples the JavaScript thread for `seconds`, then answers the profile; undefined when
   * {@link cancel} ended it early (shutdown).
   */
  async cpu(seconds: number): Promise<Buffer | undefined> {
    if (this.cancelCpu) {
      throw new ProfileBusyError('a CPU profile is already being taken');
    }
    this.pprof.time.start({
      intervalMicros: CPU_INTERVAL_MICROS,
      durationMillis: seconds * 1000,
      // Adds `cpu/nanoseconds` (Go's CPU profile unit) beside the wall-clock samples; the
      // library computes CPU time only with its context tracking on.
      collectCpuTime: true,
      withContexts: true,
    });
    const completed = await new Promise<boolean>((resolve) => {
      // Unreferenced: a profile under way never keeps the process alive.
      const timer = setTimeout(() => resolve(true), seconds * 1000).unref();
      this.cancelCpu = () => {
        clearTimeout(timer);
        resolve(false);
      };
    });
    this.cancelCpu = undefined;
    const profile = this.pprof.time.stop();
    return completed ? this.pprof.encode(profile) : undefined;
  }

  cancel(): void {
    this.cancelCpu?.();
  }
}
