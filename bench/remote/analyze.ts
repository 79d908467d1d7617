import { requestClassOf } from '../../tools/s3-proxy/throttle-plugin.js';
import { median } from '../engine/stats.js';
import type { CaseSpec, RemoteResult, RemoteRun } from './types.js';

export type RequestClassCounts = { put: number; get: number; list: number; other: number };

export interface ToolCaseFigures {
  tool: string;
  /** Runs in the medians (warm-up left out). */
  runs: number;
  wallSeconds: number;
  /** Wall time over the faster rclone's in the same case; NaN without an rclone run. */
  ratio: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  /** Requests of the run with the median total. */
  requests: RequestClassCounts;
  requestsTotal: number;
  /** ListObjectsV2/ListObjects requests, the most any measured run sent. */
  listRequestsMax: number;
  slowDowns: number;
  /** The most entries any measured run reported failed; null when a run's output did not say. */
  failedMax: number | null;
  /** The most files any measured first sync left missing in the bucket. */
  missingMax: number | null;
  exitCodes: Array<number | null>;
  problems: string[];
}

export interface CaseFigures {
  spec: CaseSpec;
  tools: ToolCaseFigures[];
  /** The rclone configuration with the lower median wall time: the reference of the ratios. */
  fasterRclone: string | undefined;
}

export interface TargetVerdict {
  target: string;
  tool: string;
  case: string;
  measured: string;
  limit: string;
  /** null: not measured (no run, no rclone to compare with, or the runs are untrusted). */
  pass: boolean | null;
}

export interface RemoteFigures {
  cases: CaseFigures[];
  targets: TargetVerdict[];
}

export function classCounts(byOperation: Record<string, number>): RequestClassCounts {
  const counts: RequestClassCounts = { put: 0, get: 0, list: 0, other: 0 };
  for (const [operation, n] of Object.entries(byOperation)) counts[requestClassOf(operation) ?? 'other'] += n;
  return counts;
}

const listRequests = (run: RemoteRun) => (run.requests.byOperation.ListObjectsV2 ?? 0) + (run.requests.byOperation.ListObjects ?? 0);
const slowDownsOf = (run: RemoteRun) => run.slowDowns.put + run.slowDowns.get + run.slowDowns.list;
const known = <T>(values: Array<T | null>): T[] => values.filter((v): v is T => v !== null);

function toolFigures(runs: RemoteRun[], tool: string): ToolCaseFigures | undefined {
  const all = runs.filter((r) => r.tool === tool);
  if (all.length === 0) return undefined;
  const measured = all.some((r) => !r.warmup) ? all.filter((r) => !r.warmup) : all;
  const totals = measured.map((r) => r.requests.total);
  const medianTotal = median(totals);
  const representative = measured.reduce((best, r) => (Math.abs(r.requests.total - medianTotal) < Math.abs(best.requests.total - medianTotal) ? r : best));
  const cpu = known(measured.map((r) => r.cpuSeconds));
  const rss = known(measured.map((r) => r.peakRssMiB));
  const failed = measured.map((r) => r.failedEntries);
  const missing = measured.map((r) => (r.stored ? r.stored.missing : null));
  return {
    tool,
    runs: measured.length,
    wallSeconds: median(measured.map((r) => r.wallSeconds)),
    ratio: Number.NaN,
    cpuSeconds: cpu.length ? median(cpu) : null,
    peakRssMiB: rss.length ? median(rss) : null,
    requests: classCounts(representative.requests.byOperation),
    requestsTotal: representative.requests.total,
    listRequestsMax: Math.max(...measured.map(listRequests)),
    slowDowns: median(measured.map(slowDownsOf)),
    failedMax: failed.includes(null) ? null : Math.max(...(failed as number[])),
    missingMax: missing.includes(null) ? null : Math.max(...(missing as number[])),
    exitCodes: [...new Set(measured.map((r) => r.exitCode))],
    problems: [...new Set(all.flatMap((r) => r.problems.map((p) => `round ${r.round + 1}: ${p}`)))],
  };
}

/** Medians per case and tool (warm-up rounds left out), ratios against the faster rclone, and the targets of issue 25. */
export function analyzeRemote(result: RemoteResult): RemoteFigures {
  const rclones = new Set(result.tools.filter((t) => t.isRclone).map((t) => t.name));
  const cases = result.cases.map((spec): CaseFigures => {
    const runs = result.runs.filter((r) => r.case === spec.id);
    const tools = spec.tools.map((tool) => toolFigures(runs, tool)).filter((f): f is ToolCaseFigures => f !== undefined);
    const candidates = tools.filter((f) => rclones.has(f.tool) && f.problems.length === 0 && (!spec.throttled || f.exitCodes.every((c) => c === 0)));
    const faster = candidates.reduce<ToolCaseFigures | undefined>((best, f) => (best === undefined || f.wallSeconds < best.wallSeconds ? f : best), undefined);
    for (const f of tools) f.ratio = faster ? f.wallSeconds / faster.wallSeconds : Number.NaN;
    return { spec, tools, fasterRclone: faster?.tool };
  });
  return { cases, targets: judgeTargets(result, cases) };
}

/** The targets of issue 25, for every s3zipsync tool (the defaults and each variant). */
export function judgeTargets(result: RemoteResult, cases: CaseFigures[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const s3zipsyncs = result.tools.filter((t) => t.isS3ZipSync).map((t) => t.name);
  const n = (count: number) => count.toLocaleString('en-US');
  const byId = new Map(cases.map((c) => [c.spec.id, c]));
  const oneFolderCurve = cases.filter((c) => c.spec.id.startsWith('e-one-')).sort((x, y) => y.spec.files - x.spec.files)[0];

  const ratioTarget = (caseFigures: CaseFigures | undefined, target: string, limit: number) => {
    if (!caseFigures) return;
    for (const tool of s3zipsyncs) {
      const f = caseFigures.tools.find((t) => t.tool === tool);
      const measured = f && Number.isFinite(f.ratio) ? `${f.ratio.toFixed(2)}× (${f.wallSeconds.toFixed(2)} s vs ${caseFigures.fasterRclone} ${caseFigures.tools.find((t) => t.tool === caseFigures.fasterRclone)!.wallSeconds.toFixed(2)} s)` : 'not measured';
      const pass = !f || !Number.isFinite(f.ratio) || f.problems.length ? null : f.ratio <= limit;
      verdicts.push({ target: `${target}, N = ${n(caseFigures.spec.files)}`, tool, case: caseFigures.spec.id, measured, limit: `≤ ${limit.toFixed(2)}× the faster rclone`, pass });
    }
  };
  ratioTarget(byId.get('c'), 'no-change re-sync, one folder', 0.45);
  ratioTarget(byId.get('b'), `no-change re-sync, ${byId.get('b')?.spec.folders ?? ''} folders`, 1.0);
  ratioTarget(oneFolderCurve, 'no-change re-sync, one folder, largest point of the curve', 0.4);
  ratioTarget(byId.get('a'), 'first sync', 0.7);

  for (const c of cases.filter((c) => c.spec.phase === 'no-change')) {
    const limit = Math.ceil(c.spec.files / 1000) + result.listingSlack;
    for (const tool of s3zipsyncs) {
      const f = c.tools.find((t) => t.tool === tool);
      verdicts.push({
        target: `listing requests, ${c.spec.title}`,
        tool,
        case: c.spec.id,
        measured: f ? `${f.listRequestsMax}` : 'not measured',
        limit: `≤ ⌈N/1000⌉ + ${result.listingSlack} = ${limit}`,
        pass: f && f.problems.length === 0 ? f.listRequestsMax <= limit : null,
      });
    }
  }

  for (const c of cases.filter((c) => c.spec.throttled)) {
    const ideal = c.spec.files / result.putRate;
    const rclone = c.tools.find((t) => t.tool === c.fasterRclone);
    for (const tool of s3zipsyncs) {
      const f = c.tools.find((t) => t.tool === tool);
      const add = (target: string, measured: string, limit: string, pass: boolean | null) =>
        verdicts.push({ target: `throttled first sync, N = ${n(c.spec.files)}: ${target}`, tool, case: c.spec.id, measured: f ? measured : 'not measured', limit, pass: f ? pass : null });
      const lost = f ? Math.max(f.failedMax ?? Number.POSITIVE_INFINITY, f.missingMax ?? Number.POSITIVE_INFINITY) : 0;
      add('failed entries', f ? `${f.failedMax ?? '?'} failed, ${f.missingMax ?? '?'} missing` : '', '0', f ? lost === 0 : null);
      add('exit code', f ? f.exitCodes.join(', ') : '', '0', f ? f.exitCodes.every((code) => code === 0) : null);
      add('wall', f ? `${f.wallSeconds.toFixed(2)} s` : '', `≤ 1.15 × N/rate = ${(1.15 * ideal).toFixed(2)} s (ideal ${ideal.toFixed(2)} s)`, f ? f.wallSeconds <= 1.15 * ideal : null);
      add('503 SlowDown answers', f ? `${f.slowDowns}${rclone ? ` vs ${rclone.tool} ${rclone.slowDowns}` : ''}` : '', 'fewer than the faster rclone', f && rclone ? f.slowDowns < rclone.slowDowns : null);
    }
  }
  return verdicts;
}
