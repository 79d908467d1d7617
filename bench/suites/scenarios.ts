// The strategy bench's scenario names, in a module without run-time imports: the bench command's
// --help lists them without loading the SDK.
export const SCENARIOS = ['absent-then-upload', 'present', 'absent'] as const;
export type Scenario = (typeof SCENARIOS)[number];
