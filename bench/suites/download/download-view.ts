import bytes from 'bytes';
import type { ReportView } from '../../print/report-view.js';
import type { DownloadBenchReport, DownloadScenarioResult } from './suite.js';

export function downloadReportView(report: DownloadBenchReport): ReportView {
  const env = report.environment;
  const kept = report.scenarios[0]?.variants[0]?.summary.samples ?? 0;
  const rejected = report.rejected.length
    ? report.rejected.map((r) => `rejected before timing: ${r.method} on ${r.fixture}: ${r.problem}`)
    : ['every method returned the fixtures\' exact bytes (sha256) before timing'];
  return {
    title: 's3zipsync bench download: ways to download an object',
    header: [
      `node ${env.node} · @aws-sdk/client-s3 ${env.sdk} · s3zipsync ${env.s3zipsync} · ${env.platform}`,
      `endpoint ${env.endpoint} · region ${env.region} · baseline round trip ${Number.isNaN(env.baselineRttMs) ? 'unavailable' : `${env.baselineRttMs.toFixed(3)} ms`}`,
      `seed ${report.seed} · shuffled rounds · ${kept} samples per method and fixture, ${report.warmup} warm-up dropped`,
      `ranged-parallel with ${report.parallel} requests`,
      'memory: peak growth over the process baseline while one download runs, each method alone in a fresh child process (RSS high-water mark from /proc VmHWM; arrayBuffers sampled every 1 ms after a minor GC)',
      ...rejected,
      `run prefix ${report.runPrefix}`,
      `clean-up: ${report.cleanup.deleted} objects deleted, ${report.cleanup.leftover} left`,
    ],
    scenarios: report.scenarios.map((scenario) => ({
      ...scenario,
      description: `${size(scenario.storedBytes)} stored, ${size(scenario.decodedBytes)} decoded`,
      columns: [
        { header: 'MB/s', values: mapValues(scenario.throughputMBps, (v) => v.toFixed(1)) },
        { header: 'peak RSS +', values: memoryColumn(scenario, (m) => m.peakRssGrowthBytes) },
        { header: 'peak arrayBuffers +', values: memoryColumn(scenario, (m) => m.peakArrayBuffersGrowthBytes) },
      ],
    })),
    samples: report.samples,
  };
}

function memoryColumn(scenario: DownloadScenarioResult, pick: (m: { peakRssGrowthBytes: number; peakArrayBuffersGrowthBytes: number }) => number) {
  return mapValues(scenario.memory, (m) => ('error' in m ? 'error' : size(pick(m))));
}

function mapValues<T>(record: Record<string, T>, map: (value: T) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function size(n: number): string {
  return bytes.format(n, { unitSeparator: ' ', decimalPlaces: 1 }) ?? String(n);
}
