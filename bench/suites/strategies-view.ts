import type { ReportView } from '../print/report-view.js';
import { REQUEST_PRICES_PER_1000 } from '../pricing.js';
import type { Scenario } from './choices.js';
import type { StrategyBenchReport } from './strategies.js';

const DESCRIPTIONS: Record<Scenario, string> = {
  'absent-then-upload': 'check a missing key, then PutObject 1 KiB to it',
  present: 'check a key that exists',
  absent: 'check a missing key',
};

export function strategyReportView(report: StrategyBenchReport): ReportView {
  const env = report.environment;
  const kept = report.scenarios[0]?.variants[0]?.summary.samples ?? 0;
  return {
    title: 's3zipsync bench: existence-check strategies',
    header: [
      `node ${env.node} · @aws-sdk/client-s3 ${env.sdk} · s3zipsync ${env.s3zipsync} · ${env.platform}`,
      `endpoint ${env.endpoint} · region ${env.region} · baseline round trip ${Number.isNaN(env.baselineRttMs) ? 'unavailable' : `${env.baselineRttMs.toFixed(3)} ms`} (unsigned HEAD /, warm)`,
      `seed ${report.seed} · shuffled rounds · ${kept} samples per strategy and scenario, ${report.warmup} warm-up dropped`,
      `run prefix ${report.runPrefix}`,
      `clean-up: ${report.cleanup.deleted} objects deleted, ${report.cleanup.leftover} left`,
    ],
    scenarios: report.scenarios.map((scenario) => ({
      ...scenario,
      description: DESCRIPTIONS[scenario.scenario as Scenario],
      notes: [
        `cost per 1,000 (S3 Standard ${REQUEST_PRICES_PER_1000.region}; LIST billed as PUT, HEAD as GET): ${Object.entries(scenario.costPer1000)
          .map(([variant, usd]) => `${variant} $${usd.toFixed(4)}`)
          .join(' · ')}`,
      ],
    })),
    samples: report.samples,
  };
}
