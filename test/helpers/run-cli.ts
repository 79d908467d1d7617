import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The published binary (the launcher, then the CLI bundle), as built by `npm test` (which runs the build first). */
export const CLI = fileURLToPath(new URL('../../dist/cli/launcher.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process; `onStdout` sees the output so far, e.g. to send a signal mid-run. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, onStdout?: (stdout: string, child: ChildProcess) => void): Promise<CliRun> {
  const { finished } = startCli(args, env, onStdout);
  return finished;
}

/**
 * Runs the CLI and, once `ready()` holds (polled every 20 ms), calls `act` with the child, e.g. to
 * look at the server and then send a signal. Fails, and kills the child, if `ready` is not met in 20 s
 * or `act` throws.
 */
export async function runCliOnceReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: () => boolean,
  what: string,
  act: (child: ChildProcess) => Promise<void> | void,
): Promise<CliRun> {
  const { child, finished } = startCli(args, env);
  for (let waited = 0; !ready(); waited += 20) {
    if (waited >= 20_000 || child.exitCode !== null) {
      child.kill('SIGKILL');
      const run = await finished;
      throw new Error(`${what}: not seen within 20 s (exit ${run.code}): ${run.stderr.trim().slice(0, 500)}`);
    }
    await sleep(20);
  }
  try {
    await act(child);
  } catch (error) {
    child.kill('SIGKILL');
    await finished;
    throw error;
  }
  return finished;
}

function startCli(args: string[], env: NodeJS.ProcessEnv, onStdout?: (stdout: string, child: ChildProcess) => void): { child: ChildProcess; finished: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = (once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>).then(([code, signal]) => ({ code, signal, stdout, stderr }));
  return { child, finished };
}
