import { cgroupMemoryLimit, memoryNeeded } from './memory-fit.js';

const MIB = 1024 * 1024;

describe(memoryNeeded.name, () => {
  it('grows with the config held and the streams allowed', () => {
    const base = memoryNeeded({ configBytes: 0, streamLimit: 0 });
    expect(base).toBe(210 * MIB);
    // 5,000 environments × 30 flags hold ~130 MB of lists: about what the bench measured (527 MiB).
    const large = memoryNeeded({ configBytes: 130e6, streamLimit: 0 });
    expect(large / MIB).toBeGreaterThan(500);
    expect(large / MIB).toBeLessThan(550);
    expect(memoryNeeded({ configBytes: 0, streamLimit: 10_000 }) - base).toBe(10_000 * 6.5 * 1024);
  });
});

describe(cgroupMemoryLimit.name, () => {
  const files = (contents: Record<string, string>) => (file: string) => {
    const text = contents[file];
    if (text === undefined) {
      throw new Error(`ENOENT: ${file}`);
    }
    return text;
  };

  it('reads cgroup v2, where "max" means no limit', () => {
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory.max': '536870912\n' }))).toBe(
      512 * MIB,
    );
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory.max': 'max\n' }))).toBeNull();
  });

  it('falls back to cgroup v1, where a number near 2^63 means no limit', () => {
    const v1 = '/sys/fs/cgroup/memory/memory.limit_in_bytes';
    expect(cgroupMemoryLimit(files({ [v1]: '1073741824' }))).toBe(1024 * MIB);
    expect(cgroupMemoryLimit(files({ [v1]: '9223372036854771712' }))).toBeNull();
  });

  it('is null without a cgroup, or with something unreadable in it', () => {
    expect(cgroupMemoryLimit(files({}))).toBeNull();
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory.max': 'garbage' }))).toBeNull();
  });
});
