import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found upwards from this file: bench/harness/ and dist/bench/harness/ sit at different depths. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 's3zipsync') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench: cannot find the s3zipsync package root above bench/harness');
    dir = parent;
  }
}

export function ownVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const requireHere = createRequire(import.meta.url);

/** The installed version of a dependency, or `unknown`. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(requireHere.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Short commit of the checkout, and whether the measured code differs from it. */
export function gitCommit(): string {
  try {
    const cwd = packageRoot();
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src', 'bin', 'bench', 'tools'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}
