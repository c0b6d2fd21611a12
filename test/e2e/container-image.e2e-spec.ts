import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = readFileSync(`${ROOT}/Dockerfile`, 'utf8');
const dockerignore = readFileSync(`${ROOT}/.dockerignore`, 'utf8').split('\n');

/** Sources of `COPY` lines that copy from the build context (not from a stage). */
function contextSources(): string[] {
  return dockerfile
    .split('\n')
    .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
    .flatMap((line) =>
      line
        .replace(/^COPY\s+/, '')
        .split(/\s+/)
        .slice(0, -1),
    );
}

/**
 * No Docker engine runs here, so the image is checked as text: every file the build copies
 * exists and passes .dockerignore, and the runtime stage is non-root, production-only and
 * health-checked.
 */
describe('container image', () => {
  it('copies everything `nest build` needs, and each of those exists and is not ignored', () => {
    const sources = contextSources();
    for (const needed of [
      'package.json',
      'package-lock.json',
      'nest-cli.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src',
    ]) {
      expect(sources).toContain(needed);
    }
    for (const source of sources) {
      expect(existsSync(`${ROOT}/${source}`)).toBe(true);
      expect(dockerignore).toContain(`!${source}${source === 'src' ? '/' : ''}`);
    }
  });

  it('runs as a non-root user, production dependencies only, with a health check', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });

  it('starts the file the build produces', () => {
    const built = JSON.parse(readFileSync(`${ROOT}/tsconfig.build.json`, 'utf8')) as {
      compilerOptions: { rootDir: string };
    };
    expect(built.compilerOptions.rootDir).toBe('./src');
    expect(existsSync(`${ROOT}/src/main.ts`)).toBe(true);
  });
});
