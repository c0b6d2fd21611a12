import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';

export interface DecodedProfile {
  /** `type/unit` of each sample value, e.g. `cpu/nanoseconds`. */
  sampleTypes: string[];
  /** Per sample type, the sum over every sample. */
  totals: number[];
  samples: number;
  functions: string[];
}

/** Decodes what a `/debug/pprof/…` endpoint answered: gzipped pprof protobuf, as Go sends it. */
export function decodeProfile(body: Buffer): DecodedProfile {
  const profile = Profile.decode(gunzipSync(body));
  const text = (index: number | bigint): string => profile.stringTable.strings[Number(index)] ?? '';
  return {
    sampleTypes: profile.sampleType.map((t) => `${text(t.type)}/${text(t.unit)}`),
    totals: profile.sampleType.map((_, i) =>
      profile.sample.reduce((sum, sample) => sum + Number(sample.value[i] ?? 0), 0),
    ),
    samples: profile.sample.length,
    functions: profile.function.map((f) => text(f.name)),
  };
}

/**
 * The TCP addresses a process listens on, as `127.0.0.1:6060` (`[::]:7000` for IPv6), from its
 * socket inodes matched against /proc/net/tcp*: what one process opened, whatever else runs on
 * the machine (Linux only).
 */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = (() => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) {
      inodes.add(inode);
    }
  }
  const addresses = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      // State 0A is LISTEN.
      if (state === '0A' && inode && inodes.has(inode) && local) {
        addresses.add(readable(local));
      }
    }
  }
  return [...addresses].sort();
}

/** `0100007F:1F90` → `127.0.0.1:8080`; an IPv6 address is shown as `[::]` or its hex. */
function readable(local: string): string {
  const [host = '', port = ''] = local.split(':');
  const portNumber = Number.parseInt(port, 16);
  if (host.length === 8) {
    const bytes = (host.match(/../g) ?? []).map((b) => Number.parseInt(b, 16)).toReversed();
    return `${bytes.join('.')}:${portNumber}`;
  }
  return `[${/^0+$/.test(host) ? '::' : host}]:${portNumber}`;
}
