import type { Sample, ScenarioResult } from '../engine/types.js';

/** What every printer needs; each suite maps its report to this view. */
export interface ReportView {
  title: string;
  /** Environment and method lines printed under the title. */
  header: string[];
  scenarios: Array<ScenarioResult & { description?: string; notes?: string[]; columns?: ExtraColumn[] }>;
  samples: Sample[];
}

/** A suite-specific column (throughput, memory), by variant name. */
export interface ExtraColumn {
  header: string;
  values: Record<string, string>;
}
