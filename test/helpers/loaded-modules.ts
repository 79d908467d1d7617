import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REGISTER = fileURLToPath(new URL('./module-log/register.mjs', import.meta.url));

export interface LoadedModules {
  code: number | null;
  stdout: string;
  /** URLs of every module the program resolved (ESM) or required (CommonJS), node: built-ins left out. */
  modules: string[];
}

/** Runs `node script ...args` and records which modules it loaded, whatever its exit code. */
export async function loadedModules(script: string, args: string[], cwd?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedModules> {
  const directory = mkdtempSync(join(tmpdir(), 's3zipsync-modules-'));
  const logFile = join(directory, 'modules.log');
  try {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done) => {
      const options = { env: { ...env, TEST_MODULE_LOG_FILE: logFile }, ...(cwd ? { cwd } : {}) };
      execFile(process.execPath, ['--import', REGISTER, script, ...args], options, (error, out) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: out }));
    });
    const logged = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    return { code, stdout, modules: [...new Set(logged)].filter((url) => !url.startsWith('node:')) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
