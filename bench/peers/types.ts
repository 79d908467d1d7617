import type { RequestTally } from '../../tools/s3-proxy/counting-proxy.js';

export type Phase = 'initial' | 'resync';

export interface ToolInfo {
  name: string;
  isS3ZipSync: boolean;
  note: string;
  version: string;
  /** The command line as run, with placeholders for per-run values. */
  commandLine: string;
}

export interface PhaseRun {
  tool: string;
  /**
   * False for the one counted run per tool, through the request-counting proxy: its requests are
   * the figures' request counts, its times are not used. True for the timed rounds, which talk to the
   * server directly, since a proxy on the same cores adds CPU to every request of every tool.
   */
  timed: boolean;
  round: number;
  /** Place of the tool in its round's shuffled order. */
  position: number;
  phase: Phase;
  exitCode: number | null;
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  /** What the proxy saw; empty for a timed run. */
  requests: RequestTally;
  /** Anything that makes this run's figures untrustworthy (exit code, wrong outcome, wrong bytes). */
  problems: string[];
  /** First line the tool wrote on stderr, if any: shown, not judged. */
  stderrHead: string | undefined;
}

export interface PeersResult {
  tools: ToolInfo[];
  runs: PhaseRun[];
  rounds: number;
  seed: number;
  fixture: string;
}
