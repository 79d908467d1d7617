import type { CaseSpec, ScenarioId } from './types.js';

export const SCENARIOS: readonly ScenarioId[] = ['a', 'b', 'c', 'd', 'e'];

export interface PlanOptions {
  scenarios: readonly ScenarioId[];
  /** Files of scenarios a, b, c. */
  files: number;
  /** Folders of the many-folder layouts (a, b, d, e). */
  folders: number;
  /** Files of each throttled first sync (d). */
  throttledFiles: readonly number[];
  /** Entries of each point of the scaling curve (e). */
  curveSizes: readonly number[];
  /** Every tool measured, in a stable order. */
  tools: readonly string[];
  /** The tools of the scaling curve: s3zipsync's and the rclone ones. */
  curveTools: readonly string[];
}

/** The cases of the chosen scenarios, in the order they run. */
export function planCases(options: PlanOptions): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const n = (count: number) => count.toLocaleString('en-US');
  const many = options.folders;
  const add = (spec: CaseSpec) => cases.push(spec);
  for (const scenario of options.scenarios) {
    const tools = [...options.tools];
    switch (scenario) {
      case 'a':
        add({ id: 'a', scenario, title: `(a) first sync, ${n(options.files)} files in ${many} folders`, files: options.files, folders: many, phase: 'first-sync', throttled: false, tools });
        break;
      case 'b':
        add({ id: 'b', scenario, title: `(b) no-change re-sync, ${n(options.files)} files in ${many} folders`, files: options.files, folders: many, phase: 'no-change', throttled: false, tools });
        break;
      case 'c':
        add({ id: 'c', scenario, title: `(c) no-change re-sync, ${n(options.files)} files in one folder`, files: options.files, folders: 1, phase: 'no-change', throttled: false, tools });
        break;
      case 'd':
        for (const files of options.throttledFiles) {
          add({ id: `d-${files}`, scenario, title: `(d) throttled first sync, ${n(files)} files in ${many} folders`, files, folders: many, phase: 'first-sync', throttled: true, tools });
        }
        break;
      case 'e':
        for (const files of options.curveSizes) {
          for (const folders of [1, many]) {
            const layout = folders === 1 ? 'one folder' : `${many} folders`;
            add({ id: `e-${folders === 1 ? 'one' : 'many'}-${files}`, scenario, title: `(e) no-change re-sync, ${n(files)} files in ${layout}`, files, folders, phase: 'no-change', throttled: false, tools: [...options.curveTools] });
          }
        }
        break;
    }
  }
  return cases;
}

/** The key of a fixture: cases with the same files and folders share one (and one filled prefix). */
export function fixtureKey(spec: Pick<CaseSpec, 'files' | 'folders'>): string {
  return `${spec.files}x${spec.folders}`;
}
