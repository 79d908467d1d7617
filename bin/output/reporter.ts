import cliProgress from 'cli-progress';
import type { SyncEvent, SyncReport } from '../../src/internal.js';
import { formatEntry, formatSummary } from './format.js';
import { formatFilterOrDeleteEvent } from './format-deletion.js';

export interface Reporter {
  onEvent(event: SyncEvent): void;
  finish(report: SyncReport): void;
}

interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** NDJSON on stdout: one object per entry, then one summary object. Warnings stay on stderr. */
export function jsonReporter({ stdout, stderr }: Streams): Reporter {
  return {
    onEvent(event) {
      if (event.type === 'entry' || event.type === 'excluded' || event.type === 'delete') stdout.write(`${JSON.stringify(event)}\n`);
      if (event.type === 'warning') stderr.write(`warning: ${event.message}\n`);
    },
    finish(report) {
      stdout.write(`${JSON.stringify({ type: 'summary', ...report })}\n`);
    },
  };
}

/** Entry lines and the summary on stdout; warnings, and a progress bar when stderr is a terminal, on stderr. */
export function textReporter({ stdout, stderr }: Streams, showProgress: boolean): Reporter {
  const bar =
    showProgress && stderr.isTTY
      ? new cliProgress.SingleBar(
          { stream: stderr, format: '{bar} {value}/{total} files', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  // Lines written under an active bar would be overwritten by its next redraw.
  const above = (write: () => void) => {
    if (!bar) return write();
    bar.stop();
    write();
    bar.start(total, done);
  };
  let total = 0;
  let done = 0;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'start':
          total = event.files;
          bar?.start(total, 0);
          break;
        case 'entry':
          above(() => stdout.write(`${formatEntry(event)}\n`));
          break;
        case 'excluded':
        case 'delete':
          above(() => stdout.write(`${formatFilterOrDeleteEvent(event)}\n`));
          break;
        case 'warning':
          above(() => stderr.write(`warning: ${event.message}\n`));
          break;
        case 'progress':
          done = event.filesDone;
          bar?.update(done);
          break;
      }
    },
    finish(report) {
      bar?.stop();
      for (const line of formatSummary(report)) stdout.write(`${line}\n`);
    },
  };
}
