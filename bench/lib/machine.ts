import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { ROOT } from './children.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  commit: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** What the numbers depend on: the CPU, the Node version and the code measured. */
export function machineInfo(): MachineInfo {
  const dirty = git(['status', '--porcelain', '--', 'src', 'bench', 'package.json']) !== '';
  const hash = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    commit: dirty ? `${hash} (with uncommitted changes)` : hash,
  };
}
