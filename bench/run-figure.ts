// Runs one figure of the bench and records it:
//
//   node dist/bench/run-figure.js <figure> [flags]   (npm run bench:<figure> -- [flags])
//   node dist/bench/run-figure.js --help             (the figures and their flags)
//
// The report goes to stdout and is appended to bench/results/<date>-<machine>.md with the command,
// machine, load and commit it came from. Runner flags: --keep (keep temporary folders), --no-record
// (print only), --results-dir DIR, --server-data memory|disk (where s3rver keeps objects). Exit 0:
// figures trusted; 1: a check failed, the numbers are marked untrusted; 2: bad flags or the run
// failed; 130: interrupted.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { AnyFigure } from './harness/figure.js';
import { BenchUsageError, describeFlags, parseFlags, type FlagSchema } from './harness/flags.js';
import { describeMachine, machineFacts, machineSlug } from './harness/machine.js';
import { gitCommit, ownVersion, packageRoot, packageVersion } from './harness/provenance.js';
import { SERVER_DATA_PLACES, defaultServerDataPlace, describeServerData, type ServerDataPlace } from './harness/server-data.js';

const FIGURES: Record<string, () => Promise<{ figure: AnyFigure }>> = {
  sync: () => import('./figures/sync.js'),
  mirror: () => import('./figures/mirror.js'),
  integrity: () => import('./figures/integrity.js'),
  lambda: () => import('./figures/lambda-memory.js'),
  'lambda-cost': () => import('./figures/lambda-cost.js'),
  memory: () => import('./figures/big-entry-memory.js'),
  concurrency: () => import('./figures/concurrency.js'),
  peers: () => import('./figures/peers.js'),
  remote: () => import('./figures/remote.js'),
};

const RUNNER_FLAGS = {
  keep: { type: 'boolean', describe: 'keep the temporary folder (archives and server data) and print where it is' },
  'no-record': { type: 'boolean', describe: 'print the report only; do not append it to bench/results/' },
  'results-dir': { type: 'string', describe: 'where the results file goes (default: bench/results/ of this checkout)' },
  'server-data': { type: 'choices', choices: SERVER_DATA_PLACES, describe: "where s3rver keeps objects: memory (tmpfs /dev/shm, the default where it exists) or disk (the bench's temporary folder)" },
} as const satisfies FlagSchema;

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(await help());
    return name === undefined ? 2 : 0;
  }
  const load = FIGURES[name];
  if (!load) throw new BenchUsageError(`unknown figure ${JSON.stringify(name)} (known: ${Object.keys(FIGURES).join(', ')})`);
  const { figure } = await load();
  const flags = parseFlags({ ...figure.flags, ...RUNNER_FLAGS }, rest);

  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`[${name}] ${signal}: stopping after the running step, then cleaning up\n`);
      abort.abort();
    });
  }
  const serverData = (flags['server-data'] as ServerDataPlace[] | undefined)?.at(-1) ?? defaultServerDataPlace();
  const before = machineFacts();
  const started = new Date();
  const measured = await figure.run(flags, {
    log: (message) => process.stderr.write(`[${name}] ${message}\n`),
    signal: abort.signal,
    keep: flags.keep === true,
    serverData,
  });
  const problems = figure.verify(measured, flags);
  if (abort.signal.aborted) problems.push('interrupted: the figures cover only the runs that finished');
  const lines = [
    `## ${figure.title}`,
    '',
    `- command: \`node dist/bench/run-figure.js ${args.join(' ')}\` (${started.toISOString()})`,
    `- machine: ${describeMachine(before)} before, ${machineFacts().load.toFixed(2)} after; ${os.hostname()}`,
    `- server: ${figure.server ? figure.server(measured) : describeServerData(serverData)}`,
    `- code: ${gitCommit()} (s3zipsync ${ownVersion()}, @aws-sdk/client-s3 ${packageVersion('@aws-sdk/client-s3')}, s3rver ${packageVersion('s3rver')})`,
    '',
    figure.report(measured, flags).trimEnd(),
  ];
  const dir = (flags['results-dir'] as string | undefined) ?? join(packageRoot(), 'bench', 'results');
  const stem = `${started.toISOString().slice(0, 10)}-${machineSlug(before)}`;
  const attachments = figure.attachments?.(measured, flags) ?? [];
  if (attachments.length) {
    lines.push('');
    for (const attachment of attachments) {
      // A run's attachment has the time in its name: the results file collects many runs, each keeps its own chart.
      const name = `${stem}-${started.toISOString().slice(11, 19).replaceAll(':', '')}-${attachment.suffix}`;
      if (flags['no-record'] === true) lines.push(`- ${attachment.title}: not written (--no-record)`);
      else {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, name), attachment.content);
        lines.push(`- ${attachment.title}: [${name}](${name})`);
      }
    }
  }
  if (problems.length) lines.push('', '**Problems: the numbers above are NOT trustworthy:**', ...problems.map((p) => `- ${p}`));
  const text = `${lines.join('\n')}\n`;
  process.stdout.write(text);
  if (flags['no-record'] !== true) {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${stem}.md`);
    appendFileSync(file, `\n${text}`);
    process.stderr.write(`[${name}] recorded in ${file}\n`);
  }
  if (abort.signal.aborted) return 130;
  return problems.length ? 1 : 0;
}

async function help(): Promise<string> {
  const out = ['usage: node dist/bench/run-figure.js <figure> [flags]', ''];
  for (const [name, load] of Object.entries(FIGURES)) {
    const { figure } = await load();
    out.push(`${name}: ${figure.title}`, ...describeFlags(figure.flags), '');
  }
  out.push('every figure:', ...describeFlags(RUNNER_FLAGS), '');
  return out.join('\n');
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof BenchUsageError;
  process.stderr.write(`bench: ${usage ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
}
