/**
 * The time left of a run, from both its bytes and its entries.
 *
 * Bytes alone mislead on archives of many small files (each costs a request whatever its size) and
 * entries alone on a few big ones, so progress is the mean of the two fractions done. Its rate is
 * smoothed (exponential moving average, ~10 s) so that a burst of small files or a part just
 * acknowledged does not swing the estimate, and there is none in the first seconds or the first
 * percents, when a rate measured over a few requests says nothing about the rest (issue 28: the
 * first estimate was `209h13m`, and `3s` at 47% for ~10 s left).
 */
export interface EtaOptions {
  /** No estimate before this many seconds of progress… */
  minSeconds: number;
  /** …nor before this fraction of the run is done. */
  minFraction: number;
  /** Time constant of the rate's moving average, in seconds. */
  smoothingSeconds: number;
}

export const DEFAULT_ETA_OPTIONS: EtaOptions = { minSeconds: 3, minFraction: 0.02, smoothingSeconds: 10 };

// Samples closer together than this say more about event bursts than about the rate.
const MIN_SAMPLE_SECONDS = 0.5;

export interface Progress {
  bytesDone: number;
  totalBytes: number;
  filesDone: number;
  files: number;
}

/** The mean of the bytes and the entries done, each as a fraction of its total (a zero total is no part of it). */
export function fractionDone(progress: Progress): number {
  const parts: number[] = [];
  if (progress.totalBytes > 0) parts.push(clamp(progress.bytesDone / progress.totalBytes));
  if (progress.files > 0) parts.push(clamp(progress.filesDone / progress.files));
  return parts.length ? parts.reduce((sum, part) => sum + part, 0) / parts.length : 1;
}

export class Eta {
  private first: { seconds: number; fraction: number } | undefined;
  private last: { seconds: number; fraction: number } | undefined;
  private rate: number | undefined;

  constructor(private readonly options: EtaOptions = DEFAULT_ETA_OPTIONS) {}

  /** Records the progress at `seconds` (any monotonic clock) and returns the seconds left, or undefined while unknown. */
  update(seconds: number, progress: Progress): number | undefined {
    const fraction = fractionDone(progress);
    this.sample(seconds, fraction);
    if (fraction >= 1) return 0;
    const first = this.first;
    if (!first || seconds - first.seconds < this.options.minSeconds || fraction < this.options.minFraction) return undefined;
    if (this.rate === undefined || this.rate <= 0) return undefined;
    return (1 - fraction) / this.rate;
  }

  private sample(seconds: number, fraction: number): void {
    // The clock starts at the first progress: planning and listing before it are no part of the rate.
    if (!this.first || !this.last) {
      if (fraction > 0) this.first = this.last = { seconds, fraction };
      return;
    }
    const last = this.last;
    const dt = seconds - last.seconds;
    if (dt < MIN_SAMPLE_SECONDS) return;
    const instant = (fraction - last.fraction) / dt;
    if (this.rate === undefined) {
      this.rate = instant;
    } else {
      const weight = 1 - Math.exp(-dt / this.options.smoothingSeconds);
      this.rate += weight * (instant - this.rate);
    }
    this.last = { seconds, fraction };
  }
}

function clamp(fraction: number): number {
  return Math.min(1, Math.max(0, fraction));
}
