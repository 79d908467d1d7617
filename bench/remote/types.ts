import type { RequestTally } from '../../tools/s3-proxy/counting-proxy.js';
import type { ThrottleCounts } from '../../tools/s3-proxy/throttle-plugin.js';

/** The scenarios of issue 25, by their letter. */
export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e';

/** One measured situation: a fixture, what is timed on it, and which tools run it. */
export interface CaseSpec {
  /** Unique within a result, e.g. `a`, `d-5000`, `e-one-100000`. */
  id: string;
  scenario: ScenarioId;
  /** One line for the report. */
  title: string;
  files: number;
  folders: number;
  /** `first-sync`: each run into a fresh bucket; `no-change`: every run re-syncs one prefix filled beforehand. */
  phase: 'first-sync' | 'no-change';
  /** Runs go through the throttle plugin (PUT-class rate, 503 SlowDown above it). */
  throttled: boolean;
  tools: string[];
}

export interface StoredSizesCheck {
  keysListed: number;
  missing: number;
  wrongSize: number;
  extra: number;
  /** A few example keys per kind, for the notes. */
  examples: string[];
}

export interface RemoteRun {
  case: string;
  tool: string;
  round: number;
  /** Place of the tool in its round's shuffled order. */
  position: number;
  /** The first round when there are several: shown in the raw data, left out of the medians. */
  warmup: boolean;
  exitCode: number | null;
  wallSeconds: number;
  /** User + system of the tool's process tree (GNU time); null where it could not be read. */
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  /** What the proxy saw, retries and throttled requests included. */
  requests: RequestTally;
  /** 503 SlowDown answered by the throttle plugin, by class. */
  slowDowns: ThrottleCounts;
  /** Entries the tool itself reports as failed (s3zipsync: its summary; others: their error lines); null when it cannot tell. */
  failedEntries: number | null;
  /** After a first sync: the bucket listed straight from the server against the fixture. */
  stored: StoredSizesCheck | null;
  /** What makes this run's figures untrustworthy (a sync that did not finish where nothing limited it, writes on a no-change run, counts that disagree). */
  problems: string[];
  /** Last line the tool wrote on stderr: shown, not judged. */
  stderrTail: string | undefined;
}

export interface RemoteToolInfo {
  name: string;
  /** s3zipsync, as is or with a variant's flags: the tools the targets are checked for. */
  isS3ZipSync: boolean;
  /** An rclone configuration: the reference of the ratios (the faster one per case). */
  isRclone: boolean;
  version: string;
  note: string;
}

export interface RemoteResult {
  server: string;
  latency: string;
  throttle: string;
  /** PUT-class requests per second the throttled cases allow: their ideal time is files / putRate. */
  putRate: number;
  tools: RemoteToolInfo[];
  cases: CaseSpec[];
  runs: RemoteRun[];
  rounds: number;
  seed: number;
  /** K of the listing target ⌈N/1000⌉ + K. */
  listingSlack: number;
  /** Things that were not measured, and why (a peer not installed, a variant s3zipsync refused). */
  skipped: string[];
}
