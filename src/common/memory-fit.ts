import { readFileSync } from 'node:fs';

const MIB = 1024 * 1024;

/**
 * What a primary needs, measured (`BENCHMARKS.md`, docs/performance.md): ~210 MiB of process
 * (code, heap, sockets) plus ~2.5 bytes per byte of flag and segment list text it holds
 * (the text, and V8's heap growing ahead of its collections while a reload writes it), plus
 * ~6.5 KiB per SDK stream it may hold (6.3 KiB measured at 20,000 streams).
 */
const BASE_BYTES = 210 * MIB;
const PER_CONFIG_BYTE = 2.5;
const PER_STREAM_BYTES = 6.5 * 1024;

export interface MemoryNeed {
  configBytes: number;
  /** SDK_STREAM_LIMIT (0: no limit, so streams are not counted). */
  streamLimit: number;
}

/** The memory a process holding `configBytes` of lists and up to `streamLimit` streams needs. */
export function memoryNeeded({ configBytes, streamLimit }: MemoryNeed): number {
  return Math.round(BASE_BYTES + PER_CONFIG_BYTE * configBytes + PER_STREAM_BYTES * streamLimit);
}

/** cgroup v2 then v1: where a container's memory limit is found. */
const LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];
/** cgroup v1 says "no limit" with a number near 2^63. */
const NO_LIMIT_ABOVE = 2 ** 60;

/**
 * The memory limit of this process' cgroup (a container's `resources.limits.memory`), in bytes,
 * or null when there is none or it cannot be read (not Linux, no cgroup).
 */
export function cgroupMemoryLimit(read: (file: string) => string = readLimitFile): number | null {
  for (const file of LIMIT_FILES) {
    let text: string;
    try {
      text = read(file).trim();
    } catch {
      continue;
    }
    const limit = Number(text);
    return text === 'max' || !Number.isFinite(limit) || limit >= NO_LIMIT_ABOVE ? null : limit;
  }
  return null;
}

function readLimitFile(file: string): string {
  return readFileSync(file, 'utf8');
}
