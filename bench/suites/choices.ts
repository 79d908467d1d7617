// What the suites can be asked for, without the suites: the CLI's `bench` command offers these as
// flag choices and loads the suites themselves only when it runs.
export const SCENARIOS = ['absent-then-upload', 'present', 'absent'] as const;
export type Scenario = (typeof SCENARIOS)[number];
export { METHOD_FAMILIES, type MethodFamily } from './download/types.js';
