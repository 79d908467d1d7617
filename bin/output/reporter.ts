import type { SyncEvent, SyncReport } from '../../src/internal.js';
import { formatDetail } from './format-detail.js';
import { formatEntry, formatSummary } from './format.js';
import { formatFilterOrDeleteEvent } from './format-deletion.js';
import { jsonEventLine, jsonSummaryLine } from './json-lines.js';
import type { StderrNotices } from './notices.js';
import { ProgressDisplay } from './progress-display.js';

export interface Reporter {
  onEvent(event: SyncEvent): void;
  finish(report: SyncReport): void;
}

type TtyStream = NodeJS.WritableStream & { isTTY?: boolean };

interface Streams {
  stdout: TtyStream;
  stderr: TtyStream;
  notices?: StderrNotices;
}

/**
 * `quiet`: failures, warnings and the summary only (`-q`, `--only-show-errors`). `normal`: what
 * changed or failed, no line for an unchanged file (as aws-cli and rclone: a no-change run of
 * 100,000 files prints its summary, not 100,000 lines). `verbose`: `Ignored` lines too, and each
 * entry's reason.
 */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** NDJSON on stdout, versioned (docs/json-output.md): start, entries, filter and deletion events, warnings, then a summary. */
export function jsonReporter({ stdout }: Streams): Reporter {
  return {
    onEvent(event) {
      const line = jsonEventLine(event);
      if (line) stdout.write(line);
    },
    finish(report) {
      stdout.write(jsonSummaryLine(report));
    },
  };
}

/**
 * Entry lines and the summary on stdout; warnings on stderr; on a terminal, the progress display on
 * stderr. While it is drawn, lines for the same terminal go above it (through the display), or its
 * next redraw would overwrite them; lines to a pipe or file are written as they are.
 */
export function textReporter({ stdout, stderr, notices }: Streams, options: { progress: boolean; verbosity: Verbosity }): Reporter {
  const { verbosity } = options;
  const display = options.progress && verbosity !== 'quiet' && stderr.isTTY ? new ProgressDisplay(stderr) : undefined;
  if (display) notices?.route((line) => display.log(line));
  let dryRunBytes = 0;
  const print = (stream: TtyStream, line: string) => {
    if (display && stream.isTTY) display.log(line);
    else stream.write(`${line}\n`);
  };
  return {
    onEvent(event) {
      display?.onEvent(event);
      switch (event.type) {
        case 'start':
          if (verbosity === 'verbose') print(stdout, `Strategy: ${event.strategyDetail}`);
          break;
        case 'entry': {
          if (event.dryRun && (event.action === 'new' || (event.action === 'updated' && event.because !== 'headers'))) dryRunBytes += event.size;
          if (verbosity === 'quiet' && event.action !== 'failed') break;
          if (verbosity === 'normal' && event.action === 'ignored') break;
          print(stdout, formatEntry(event));
          const detail = verbosity === 'verbose' ? formatDetail(event) : undefined;
          if (detail) print(stdout, detail);
          break;
        }
        case 'excluded':
        case 'delete':
          if (verbosity === 'quiet' && !(event.type === 'delete' && event.action === 'failed')) break;
          print(stdout, formatFilterOrDeleteEvent(event));
          break;
        case 'warning':
          print(stderr, `warning: ${event.message}`);
          break;
      }
    },
    finish(report) {
      if (display) notices?.route(undefined);
      display?.stop();
      for (const line of formatSummary(report, dryRunBytes)) stdout.write(`${line}\n`);
    },
  };
}
