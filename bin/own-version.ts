import { readFileSync } from 'node:fs';

/** Whether the arguments ask for the version, as yargs reads them: `--version` anywhere before `--`. */
export function versionRequested(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--version') return true;
  }
  return false;
}

/**
 * s3zipsync's own version: from the first package.json named s3zipsync above this file. yargs would
 * take the nearest package.json above the working directory's node_modules, which inside a consumer
 * project is the consumer's. Walking up (rather than a fixed `../..`) finds it from bin/ (tsx),
 * dist/bin/ (tsc) and dist/cli/ (the bundle) alike.
 */
export function ownVersion(moduleUrl: string = import.meta.url): string {
  let directory = new URL('.', moduleUrl);
  for (;;) {
    const version = versionIn(new URL('package.json', directory));
    if (version) return version;
    const parent = new URL('..', directory);
    if (parent.href === directory.href) return 'unknown';
    directory = parent;
  }
}

function versionIn(packageJson: URL): string | undefined {
  let text: string;
  try {
    text = readFileSync(packageJson, 'utf8');
  } catch {
    return undefined; // no package.json at this level
  }
  const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
  return pkg.name === 's3zipsync' && typeof pkg.version === 'string' ? pkg.version : undefined;
}
