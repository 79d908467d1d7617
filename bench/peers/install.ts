import { spawnSync } from 'node:child_process';

/** Debian packages of the peers, by the binary each provides. */
const DEBIAN_PACKAGE: Record<string, string> = { aws: 'awscli', rclone: 'rclone', s3cmd: 's3cmd' };

export function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs the Debian packages of the binaries that are not on PATH (an `aws` from pip or pyenv
 * that is already on PATH is used as is). Returns the binaries still missing afterwards, with why.
 */
export function installMissing(binaries: string[], log: (message: string) => void): Map<string, string> {
  const missing = binaries.filter((b) => !onPath(b));
  const stillMissing = new Map<string, string>();
  if (missing.length === 0) return stillMissing;
  const packages = missing.map((b) => DEBIAN_PACKAGE[b] ?? b);
  const asRoot = process.getuid?.() === 0;
  const [file, args] = asRoot ? ['apt-get', ['install', '-y', ...packages]] : ['sudo', ['-n', 'apt-get', 'install', '-y', ...packages]];
  log(`installing ${packages.join(' ')}: ${file} ${args.join(' ')}`);
  const result = spawnSync(file, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  for (const binary of missing) {
    if (!onPath(binary)) {
      const why = result.error ? result.error.message : (result.stderr.trim().split('\n').pop() ?? `exit ${result.status}`);
      stillMissing.set(binary, `apt-get install ${DEBIAN_PACKAGE[binary] ?? binary} failed: ${why}`);
    }
  }
  return stillMissing;
}

export function firstLineOf(file: string, args: string[]): string {
  const result = spawnSync(file, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] ?? 'unknown';
}
