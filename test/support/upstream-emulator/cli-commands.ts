import { randomUUID } from 'node:crypto';
import { booleanFlag } from './fixtures.js';
import { parseGoDuration } from '../../../src/config/go-duration.js';
import type { UpstreamEmulator } from './upstream-emulator.js';

export const HELP = `commands:
  envs                          list environments, flags and SDK keys
  toggle <env> <flag>           flip a flag on/off (emits a patch event)
  delete-flag <env> <flag>      delete a flag
  add-env                       add an environment with a demo flag and SDK key
  remove-env <env>              remove an environment
  add-key <env> [raw]           add an SDK key
  remove-key <env> <raw>        remove an SDK key
  rotate [grace]                rotate the proxy key (grace as a Go duration, default 0s);
                                the old key's streams are cut when its grace ends
  delete-proxy-key              delete the proxy key
  revoke-tokens                 make every issued token answer 401
  cut | end | stall             reset / cleanly end / silence the open streams
  down [refuse|503] | up        take the service down / bring it back
  requests [n]                  the last n requests (default 10)
  quit
<env> may be any unique prefix of an environment id.`;

function resolveEnv(emulator: UpstreamEmulator, prefix: string | undefined): string {
  const matches = emulator.environmentIds().filter((id) => id.startsWith(prefix ?? '\0'));
  if (matches.length !== 1 || matches[0] === undefined) {
    throw new Error(`"${prefix ?? ''}" matches ${matches.length} environments`);
  }
  return matches[0];
}

/** Lists the environments with their SDK keys and flag states. */
export function describeEnvironments(emulator: UpstreamEmulator): string {
  return emulator
    .environmentIds()
    .map((env) => {
      const keys = emulator.sdkKeys(env).join(', ') || '(hashes only)';
      const flags = emulator.featureConfigs(env).map((f) => `${f.feature}=${f.state}`);
      return `env ${env}\n  SDK keys: ${keys}\n  flags: ${flags.join(' ') || '(none)'}`;
    })
    .join('\n');
}

type Command = (emulator: UpstreamEmulator, args: string[]) => string | Promise<string>;

const COMMANDS: Record<string, Command> = {
  help: () => HELP,
  envs: (emulator) => describeEnvironments(emulator),
  toggle: (emulator, [env, flag = '']) => {
    const toggled = emulator.toggleFlag(resolveEnv(emulator, env), flag);
    return `${toggled.feature} is ${toggled.state} (version ${toggled.version ?? 0})`;
  },
  'delete-flag': (emulator, [env, flag = '']) => {
    emulator.deleteFlag(resolveEnv(emulator, env), flag);
    return 'deleted';
  },
  'add-env': (emulator) => {
    const [id, key] = [randomUUID(), randomUUID()];
    emulator.addEnvironment({ id, apiKeys: [key], featureConfigs: [booleanFlag('demo-flag')] });
    return `added env ${id} with SDK key ${key}`;
  },
  'remove-env': (emulator, [env]) => {
    emulator.removeEnvironment(resolveEnv(emulator, env));
    return 'removed';
  },
  'add-key': (emulator, [env, raw = randomUUID()]) => {
    emulator.addApiKey(resolveEnv(emulator, env), raw);
    return `added SDK key ${raw}`;
  },
  'remove-key': (emulator, [env, raw = '']) => {
    emulator.removeApiKey(resolveEnv(emulator, env), raw);
    return 'removed';
  },
  rotate: (emulator, [grace = '0s']) => {
    const graceMs = parseGoDuration(grace);
    if (graceMs === undefined) {
      throw new Error(`not a duration: ${grace}`);
    }
    return `new proxy key: ${emulator.rotateProxyKey({ graceMs })}`;
  },
  'delete-proxy-key': (emulator) => {
    emulator.deleteProxyKey();
    return 'proxy key deleted';
  },
  'revoke-tokens': (emulator) => `revoked ${emulator.revokeTokens()} tokens`,
  cut: (emulator) => {
    emulator.cutStreams();
    return 'streams cut';
  },
  end: (emulator) => {
    emulator.endStreams();
    return 'streams ended';
  },
  stall: (emulator) => `stalled ${emulator.stallStreams()} streams`,
  down: async (emulator, [mode = 'refuse']) => {
    if (mode !== 'refuse' && mode !== '503') {
      throw new Error('down takes "refuse" or "503"');
    }
    await emulator.goDown(mode);
    return `down (${mode})`;
  },
  up: async (emulator) => {
    await emulator.comeBack();
    return 'up';
  },
  requests: (emulator, [count = '10']) =>
    emulator
      .requests()
      .slice(-Number(count))
      .map((r) => `${r.method} ${r.path} -> ${r.status ?? 'open'}`)
      .join('\n'),
};

/** Runs one stdin command against the emulator and returns what to print. */
export async function runCommand(emulator: UpstreamEmulator, line: string): Promise<string> {
  const [name = '', ...args] = line.trim().split(/\s+/);
  if (name === '') {
    return '';
  }
  const command = COMMANDS[name];
  return command ? await command(emulator, args) : `unknown command "${name}"\n${HELP}`;
}
