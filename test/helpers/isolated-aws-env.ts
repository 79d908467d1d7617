import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IsolatedAwsEnv {
  /** Holds `config` and `credentials`, where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point; neither exists until written. */
  folder: string;
  /** Puts every variable back as it was and removes the folder. */
  restore(): void;
}

/**
 * Unsets `names` so that each test sets only its own, points the SDK's shared files into a fresh
 * folder (the SDK caches a file's contents by path, so a folder per test) and turns off the
 * instance metadata probe, which a test machine must not make.
 */
export function isolateAwsEnv(names: readonly string[], tag: string): IsolatedAwsEnv {
  const all = [...new Set([...names, 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'])];
  const saved = Object.fromEntries(all.map((name) => [name, process.env[name]]));
  for (const name of all) delete process.env[name];
  const folder = mkdtempSync(join(tmpdir(), `s3zipsync-${tag}-`));
  process.env.AWS_CONFIG_FILE = join(folder, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(folder, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return {
    folder,
    restore() {
      for (const name of all) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
