import { median } from '../engine/stats.js';
import type { Phase, PeersResult } from './types.js';

export interface PhaseFigures {
  runs: number;
  medianSeconds: number;
  /** Median time divided by the reference tool's median time for the same phase; NaN without a reference. */
  ratio: number;
  medianCpuSeconds: number | null;
  medianPeakRssMiB: number | null;
  /** Requests of the run with the median total (counts can vary a little between rounds for some tools). */
  requests: Record<string, number>;
  requestsTotal: number;
  requestsMin: number;
  requestsMax: number;
  errors: Record<string, number>;
  problems: string[];
}

export interface ToolFigures {
  tool: string;
  isReference: boolean;
  phases: Partial<Record<Phase, PhaseFigures>>;
  /** True when any run failed or stored wrong bytes: its times are shown but never ranked. */
  untrusted: boolean;
}

const PHASES: Phase[] = ['initial', 'resync'];

/** Medians per tool and phase, with time ratios against the first s3zipsync tool. */
export function analyzePeers(result: PeersResult): ToolFigures[] {
  const reference = result.tools.find((t) => t.isS3ZipSync)?.name;
  // Times from the timed rounds; requests from the counted run (through the proxy), or from the
  // timed runs where those were counted too (older results, --timed-through-proxy).
  const byToolPhase = (tool: string, phase: Phase) => result.runs.filter((r) => r.tool === tool && r.phase === phase && r.timed !== false);
  const countedOf = (tool: string, phase: Phase) => {
    const counted = result.runs.filter((r) => r.tool === tool && r.phase === phase && (r.timed === false || r.requests.total > 0));
    return counted.length ? counted : byToolPhase(tool, phase);
  };
  const referenceMedian = (phase: Phase) => {
    const runs = reference ? byToolPhase(reference, phase) : [];
    return runs.length ? median(runs.map((r) => r.wallSeconds)) : Number.NaN;
  };
  return result.tools.map((tool) => {
    const phases: Partial<Record<Phase, PhaseFigures>> = {};
    let untrusted = false;
    for (const phase of PHASES) {
      const runs = byToolPhase(tool.name, phase);
      if (runs.length === 0) continue;
      const medianSeconds = median(runs.map((r) => r.wallSeconds));
      const counted = countedOf(tool.name, phase);
      const totals = counted.map((r) => r.requests.total);
      const medianTotal = median(totals);
      const representative = counted.reduce((best, r) => (Math.abs(r.requests.total - medianTotal) < Math.abs(best.requests.total - medianTotal) ? r : best));
      const known = <T>(values: Array<T | null>): T[] => values.filter((v): v is T => v !== null);
      const cpu = known(runs.map((r) => r.cpuSeconds));
      const rss = known(runs.map((r) => r.peakRssMiB));
      const problems = [...new Set([...counted, ...runs].flatMap((r) => r.problems.map((p) => `${r.timed === false ? 'counted run' : `round ${r.round + 1}`}: ${p}`)))];
      if (problems.length) untrusted = true;
      phases[phase] = {
        runs: runs.length,
        medianSeconds,
        ratio: medianSeconds / referenceMedian(phase),
        medianCpuSeconds: cpu.length ? median(cpu) : null,
        medianPeakRssMiB: rss.length ? median(rss) : null,
        requests: representative.requests.byOperation,
        requestsTotal: representative.requests.total,
        requestsMin: Math.min(...totals),
        requestsMax: Math.max(...totals),
        errors: representative.requests.errors,
        problems,
      };
    }
    return { tool: tool.name, isReference: tool.name === reference, phases, untrusted };
  });
}
