import type { StderrNotices } from './output/notices.js';

/** What a command needs from the process, passed in so commands stay testable and never exit by themselves. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  signal: AbortSignal;
  receivedSignal(): NodeJS.Signals | undefined;
  setExitCode(code: number): void;
  /** The raw command-line arguments, for what yargs does not keep (the order of --include and --exclude). */
  args?: readonly string[];
  /** Set by main: lines such as the Ctrl-C notice, printed above a progress display while one is drawn. */
  notices?: StderrNotices;
}
