import cliProgress from 'cli-progress';
import type { SyncEvent } from '../../src/internal.js';
import { Eta } from './eta.js';
import { formatBytes } from './format-bytes.js';

type TtyStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Redraws per second at most: enough to look live, cheap on a loaded machine and over ssh. */
const FPS = 10;
/** In-flight entries shown with a bar of their own; more would push the run's own bar off a small terminal. */
const MAX_ENTRY_BARS = 4;

const RUN_FORMAT = '{bar} {percentage}% | {filesDone}/{files} files{failedNote} | {doneBytes}/{totalBytes} | {rate}/s | {inFlight} in flight | elapsed {duration_formatted}{etaNote}';
const ENTRY_FORMAT = '  {bar} {name} {doneBytes}/{totalBytes}';

const human = formatBytes;

/**
 * The progress screen on a terminal (cli-progress): one bar for the run — files and bytes done of
 * the total, the upload rate, elapsed and ETA — and one per large entry in flight, whose bytes move
 * as its parts are acknowledged. Bytes "done" count every finished entry (an Ignored one is done
 * too) plus what in-flight uploads have sent; the rate counts only bytes sent. A Failed or Conflict
 * entry (an upload aborted by Ctrl-C among them) is not done: what it had sent leaves the count, so
 * after an interrupt the bar shows what is really stored instead of climbing as aborts come in.
 * The ETA is ours (eta.ts), not cli-progress's bytes-only one, and absent until it means something.
 */
export class ProgressDisplay {
  private readonly bars: cliProgress.MultiBar;
  private run: cliProgress.SingleBar | undefined;
  private readonly entries = new Map<string, { bar?: cliProgress.SingleBar; bytes: number }>();
  private readonly started = performance.now();
  private files = 0;
  private filesDone = 0;
  private filesFailed = 0;
  private totalBytes = 0;
  private bytesDone = 0;
  private bytesSent = 0;
  private readonly eta = new Eta();

  constructor(private readonly stream: TtyStream) {
    this.bars = new cliProgress.MultiBar(
      { stream, fps: FPS, hideCursor: true, clearOnComplete: true, autopadding: true, barsize: 24, formatTime: formatSeconds },
      cliProgress.Presets.shades_classic,
    );
  }

  /** Prints a line above the bars, so that the next redraw does not overwrite it; before they are drawn, at once. */
  log(line: string): void {
    if (this.run) this.bars.log(`${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  onEvent(event: SyncEvent): void {
    switch (event.type) {
      case 'start':
        this.files = event.files;
        this.totalBytes = event.bytes;
        this.run = this.bars.create(Math.max(1, event.bytes), 0, this.payload(), { format: RUN_FORMAT });
        break;
      case 'upload-start': {
        // A retry starts the entry over: its bytes sent so far no longer count.
        const entry = this.entries.get(event.key);
        if (entry) this.moved(event.key, 0);
        else this.entries.set(event.key, { bytes: 0 });
        break;
      }
      case 'upload-progress':
        this.moved(event.key, event.bytes, event.entry, event.size);
        break;
      case 'entry': {
        const entry = this.entries.get(event.key);
        if (entry?.bar) this.bars.remove(entry.bar);
        const sentBefore = entry?.bytes ?? 0;
        this.entries.delete(event.key);
        if (event.action === 'failed' || event.action === 'conflict') {
          this.filesFailed++;
          this.bytesDone -= sentBefore;
          this.bytesSent -= sentBefore;
        } else {
          this.filesDone++;
          this.bytesDone += event.size - sentBefore;
          const sent = event.action === 'new' || (event.action === 'updated' && event.because !== 'headers');
          if (sent && !event.dryRun) this.bytesSent += event.size - sentBefore;
          else this.bytesSent -= sentBefore;
        }
        break;
      }
    }
    this.run?.update(Math.min(this.bytesDone, this.totalBytes), this.payload());
  }

  stop(): void {
    // Lines logged since the last redraw are flushed by a redraw, not by stop().
    this.bars.update();
    this.bars.stop();
  }

  private moved(key: string, bytesNow: number, name?: string, size?: number): void {
    const entry = this.entries.get(key) ?? { bytes: 0 };
    this.entries.set(key, entry);
    const delta = bytesNow - entry.bytes;
    entry.bytes = bytesNow;
    this.bytesDone += delta;
    this.bytesSent += delta;
    if (!entry.bar && name !== undefined && size !== undefined && this.entryBars() < MAX_ENTRY_BARS) {
      entry.bar = this.bars.create(Math.max(1, size), bytesNow, { name, doneBytes: human(bytesNow), totalBytes: human(size) }, { format: ENTRY_FORMAT });
    } else {
      entry.bar?.update(bytesNow, { doneBytes: human(bytesNow) });
    }
  }

  private entryBars(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.bar) n++;
    return n;
  }

  private payload() {
    const seconds = (performance.now() - this.started) / 1000;
    // A failed entry is finished too: nothing of it is left to wait for.
    const left = this.eta.update(seconds, { bytesDone: this.bytesDone, totalBytes: this.totalBytes, filesDone: this.filesDone + this.filesFailed, files: this.files });
    return {
      filesDone: this.filesDone,
      files: this.files,
      failedNote: this.filesFailed ? ` (${this.filesFailed} failed)` : '',
      doneBytes: human(Math.max(0, this.bytesDone)),
      totalBytes: human(this.totalBytes),
      rate: human(seconds > 0 ? Math.max(0, this.bytesSent) / seconds : 0),
      inFlight: this.entries.size,
      etaNote: left === undefined ? '' : ` | ETA ${formatSeconds(left)}`,
    };
  }
}

/** `1m05s`, `12s`: cli-progress passes seconds; its own format pads oddly for long runs. */
function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
