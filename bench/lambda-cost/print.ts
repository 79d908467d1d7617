// The printer of `bench:lambda-cost`: a CostResult in, Markdown out; nothing is measured here.
import { formatRequests } from '../harness/requests.js';
import { renderTable } from '../harness/table.js';
import { analyzeLambdaCost, BUILDS, JOB_TITLES, PER_FILES, roundOrder, type CostResult, type JobFigures } from './analyze.js';

export interface CostReportExtras {
  fixture: string;
  zipBytes: number;
  storedChecks: Array<{ build: string; round: number; objects: number; problems: string[] }>;
}

const fixed = (digits: number) => (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const s2 = fixed(2);
const s3 = fixed(3);
const ratio = (value: number | null) => (value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`);
const per10k = PER_FILES.toLocaleString('en-US');

export function renderLambdaCost(result: CostResult, extras: CostReportExtras): string {
  const comparisons = analyzeLambdaCost(result);
  // A floor only when every thread of the child shares one core; unpinned, CPU time can exceed wall time.
  const pinned = 'core' in result.pin;
  const buildNames = result.builds.map((build) => build.name);
  const memoryGb = result.memoryMb / 1024;
  const pin =
    'core' in result.pin
      ? `each handler child pinned to core ${result.pin.core} (\`taskset -c ${result.pin.core} node …\`, checked in the child's Cpus_allowed_list): one core stands in for one Lambda vCPU; the server and the proxy (the bench process) are not pinned`
      : `handler children NOT pinned (${result.pin.unpinned}): they may use every core, unlike one Lambda vCPU`;
  const order = Array.from({ length: Math.min(result.rounds, buildNames.length) }, (_, round) => `round ${round + 1}: ${roundOrder(buildNames, round).join(', ')}`).join('; ');

  const lines = [
    `- fixture: ${extras.fixture}, deflated; zip ${(extras.zipBytes / 1e6).toFixed(1)} MB in s3://incoming/drops/bench.zip, read with ranged GETs`,
    ...result.builds.map((build) => `- ${build.name}: \`${build.handlerPath}\` (commit ${build.commit})`),
    `- handler: one child process per run (bench/lambda-child.ts), configured by environment variables only, invoked with an S3 \`ObjectCreated:Put\` event naming the zip, through the counting proxy; ${pin}`,
    `- GB-s = configured memory ${result.memoryMb} MB (${memoryGb.toFixed(3)} GB) × invocation seconds (the handler call, rounded up to 1 ms, as Lambda bills it; loading the module, Lambda's init, is in "init s", not in GB-s), × ${per10k} / ${result.files.toLocaleString('en-US')} files`,
    '- CPU = user + sys of the child during the handler call (process.resourceUsage()); "process CPU" adds Node start-up and the module load',
    ...(pinned ? ['- CPU-bound GB-s = the same memory × CPU seconds: on one core an invocation cannot be shorter than its CPU time, so this is its GB-s if S3 answered instantly (the part no server speed changes)'] : []),
    `- ${result.rounds} rounds, the build order rotating (${order}); medians over ${result.warmup ? `rounds ${result.warmup + 1}–${result.rounds} (the first ${result.warmup} left out as warm-up)` : `all ${result.rounds} rounds, the first (cold page cache, cold server) included: per-round figures below`}`,
    '- first sync: into a fresh bucket per build and round; no-change re-run: the same bucket again',
    '',
    `### Medians per ${per10k} files`,
    '',
    ...renderTable(
      ['job', 'build', 'invocation s', `GB-s per ${per10k}`, 'CPU s', `CPU s per ${per10k}`, ...(pinned ? [`CPU-bound GB-s per ${per10k}`] : []), 'peak RSS MiB', 'init s', 'process wall s', 'process CPU s', 'S3 requests'],
      comparisons.flatMap((comparison) =>
        BUILDS.flatMap((name) => {
          const figures: JobFigures | null = comparison[name];
          if (!figures) return [];
          return [
            [
              JOB_TITLES[comparison.job],
              name,
              s2(figures.invocationSeconds),
              s2(figures.gbSecondsPer10k),
              s2(figures.cpuInvocationSeconds),
              s2(figures.cpuSecondsPer10k),
              ...(pinned ? [s2(figures.cpuBoundGbSecondsPer10k)] : []),
              figures.peakRssMiB.toFixed(0),
              s3(figures.initSeconds),
              s2(figures.processWallSeconds),
              s2(figures.cpuProcessSeconds),
              formatRequests(figures.requests.byOperation, { total: figures.requests.total, min: figures.requestsMin, max: figures.requestsMax }),
            ],
          ];
        }),
      ),
    ),
  ];

  if (buildNames.includes('before') && buildNames.includes('after')) {
    const list = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ') || '—';
    lines.push(
      '',
      '### after / before',
      '',
      ...renderTable(
        ['job', `GB-s per ${per10k}`, `CPU s per ${per10k}`, 'GB-s per round', 'CPU per round'],
        comparisons.map((c) => [JOB_TITLES[c.job], ratio(c.gbSecondsRatio), ratio(c.cpuRatio), list(c.pairedGbSecondsRatios), list(c.pairedCpuRatios)]),
      ),
      '',
      'Below 1× the after build is cheaper. Per round: the two builds measured side by side in that round.',
    );
  }

  lines.push(
    '',
    '### Every run',
    '',
    ...renderTable(
      ['round', 'position', 'build', 'job', 'invocation s', 'CPU s', 'peak RSS MiB', 'requests', 'checks'],
      result.runs.map((run) => [
        `${run.round + 1}${run.round < result.warmup ? ' (warm-up)' : ''}`,
        String(run.position + 1),
        run.build,
        run.job,
        s2(run.invocationSeconds),
        s2(run.cpuInvocationSeconds),
        fixed(0)(run.peakRssMiB),
        String(run.requests.total),
        run.problems.length ? run.problems.join('; ') : 'ok',
      ]),
    ),
    '',
    `- checked before trusting the times: the handler's counts (${result.files.toLocaleString('en-US')} new, then ${result.files.toLocaleString('en-US')} ignored, nothing else), its request count equal to the proxy's, no write on a no-change run, the pin; after each first sync, untimed, every stored object listed and read back (${extras.storedChecks.map((c) => c.objects).join(', ')} objects, sizes and sha256 against the fixture)`,
    '- s3rver runs on this machine: invocation time is this client and this server sharing 2 cores with no network latency, not what S3 in a region answers in; the ratio between builds measured side by side carries over better than the seconds',
  );
  return lines.join('\n');
}
