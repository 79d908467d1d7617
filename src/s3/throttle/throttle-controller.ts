import { DefaultRateLimiter } from '@smithy/core/retry';
import { abortError, sleep, untilAborted } from '../../abortable.js';
import { DEFAULT_PACER, type PacerName } from '../../option-defaults.js';
import { afterAnswer, afterSlowDown, OPEN_WINDOW, type WindowState } from './aimd-window.js';

/** How one request attempt ended, for the pacer. */
export type AttemptOutcome = 'answered' | 'slowDown' | 'failed';

export interface Permit {
  /** Call once, when the attempt's answer (or failure) is in. */
  done(outcome: AttemptOutcome): void;
  /**
   * Instead of `done`, when S3 asked to slow down: records it, waits the request's backoff while
   * still holding its place in the window (so a slow-down frees no slot for another request to be
   * slowed down in turn), then releases it. Resolves with whether the request may be tried again
   * (see mayRetryAfterSlowDown). `slowDowns`: this request's slow-downs so far, this one included;
   * `error`: the slow-down, so that giving up on it is counted once however many layers ask.
   */
  slowedDown(slowDowns: number, signal?: AbortSignal, error?: unknown): Promise<boolean>;
}

export interface ThrottleStats {
  pacer: PacerName;
  /** Answers that asked the run to slow down (503 SlowDown, 429, …), each retried unless the run gave up. */
  slowDowns: number;
  /** Requests that gave up because no request had been answered for the stall timeout while S3 kept asking to slow down. */
  gaveUp: number;
  /** Requests in flight allowed at the end (`window`, `both`), once S3 asked to slow down. */
  inFlightLimit?: number;
  /** Requests answered per second from the first slow-down to the last answer: the rate the run settled at. */
  settledRate?: number;
}

export interface ThrottleControllerOptions {
  pacer?: PacerName;
  /** A throttled request is given up once no request at all has been answered for this long. */
  stallTimeoutMs: number;
  /** The window never grows past this many requests in flight. */
  maxInFlight?: number;
  now?: () => number;
  random?: () => number;
}

/** Backoff of one request between two slow-downs: 50 ms doubling to 2 s, with jitter, so retries do not arrive together. */
const BACKOFF_BASE_MS = 50;
const BACKOFF_MAX_MS = 2_000;

/**
 * One per run, shared by every request of it (checks, listings, PUTs, parts, deletes, S3-source
 * reads), whichever path sends them (signed-http-transport.ts, the SDK client through
 * client-pacing.ts, entry-level retries in retry-entry.ts).
 *
 * When S3 answers "slow down", the request is retried after a short backoff and the whole run is
 * paced down; answers let it climb back. A slow-down never uses up the SDK's retry budget (its
 * attempts and retry capacity stay for a failing server): a request gives up on slowing down only
 * when no request of the run has been answered for the stall timeout (rclone's pacer does not give
 * up at all; an S3 that answers nothing but 503 for that long is down, not busy).
 */
export class ThrottleController {
  readonly pacer: PacerName;
  private window: WindowState = OPEN_WINDOW;
  private readonly limiter: DefaultRateLimiter | undefined;
  private readonly maxInFlight: number;
  private readonly stallTimeoutMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private inFlight = 0;
  private nextSeq = 0;
  private readonly queue: Array<() => void> = [];
  private lastAnswerAt: number;
  private slowDowns = 0;
  private gaveUp = 0;
  /** Slow-downs already given up on: an SDK request's, then thrown to its entry's retry loop, counts once. */
  private readonly givenUp = new WeakSet<object>();
  private firstSlowDownAt: number | undefined;
  private answeredSinceFirst = 0;
  private lastAnswerSinceSlowDownAt = 0;

  constructor(options: ThrottleControllerOptions) {
    this.pacer = options.pacer ?? DEFAULT_PACER;
    this.maxInFlight = options.maxInFlight ?? 1024;
    this.stallTimeoutMs = options.stallTimeoutMs;
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.lastAnswerAt = this.now();
    this.limiter = this.pacer === 'window' ? undefined : new DefaultRateLimiter();
  }

  /** Waits until the pacer lets one more request go. Rejects with the signal's reason on abort. */
  async acquire(signal?: AbortSignal): Promise<Permit> {
    if (this.limiter) await untilAborted(this.limiter.getSendToken(), signal);
    // A woken waiter's slot is counted by wakeWaiting, so that no request arriving meanwhile takes it.
    if (this.usesWindow() && (this.queue.length > 0 || this.inFlight >= Math.floor(this.window.limit))) await this.waitForSlot(signal);
    else this.inFlight++;
    const startedAt = this.nextSeq++;
    let done = false;
    const release = (outcome: AttemptOutcome) => {
      if (done) return;
      done = true;
      this.record(outcome, startedAt);
      this.inFlight--;
      this.wakeWaiting();
    };
    return {
      done: release,
      slowedDown: async (slowDowns, slowSignal, error) => {
        if (done) return false;
        done = true;
        this.record('slowDown', startedAt);
        try {
          return await this.mayRetryAfterSlowDown(slowDowns, slowSignal, error);
        } finally {
          this.inFlight--;
          this.wakeWaiting();
        }
      },
    };
  }

  /**
   * After a slow-down: whether that request may try again (false once nothing has been answered for
   * the stall timeout), and if so after waiting its backoff. `slowDowns` counts this request's
   * slow-downs in a row, for the backoff.
   */
  async mayRetryAfterSlowDown(slowDowns: number, signal?: AbortSignal, error?: unknown): Promise<boolean> {
    if (this.now() - this.lastAnswerAt > this.stallTimeoutMs) {
      const known = typeof error === 'object' && error !== null;
      if (!known || !this.givenUp.has(error)) this.gaveUp++;
      if (known) this.givenUp.add(error);
      return false;
    }
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(slowDowns - 1, 10));
    await sleep(ceiling * (0.5 + this.random() / 2), signal);
    return true;
  }

  stats(): ThrottleStats {
    const settling = this.firstSlowDownAt !== undefined && this.lastAnswerSinceSlowDownAt > this.firstSlowDownAt;
    return {
      pacer: this.pacer,
      slowDowns: this.slowDowns,
      gaveUp: this.gaveUp,
      ...(this.usesWindow() && this.window.limit !== Number.POSITIVE_INFINITY ? { inFlightLimit: round(this.window.limit) } : {}),
      ...(settling ? { settledRate: round((this.answeredSinceFirst * 1000) / (this.lastAnswerSinceSlowDownAt - this.firstSlowDownAt!)) } : {}),
    };
  }

  private usesWindow(): boolean {
    return this.pacer !== 'rate';
  }

  /** Called while the attempt still counts in `inFlight`. */
  private record(outcome: AttemptOutcome, startedAt: number): void {
    if (outcome === 'failed') return;
    if (outcome === 'slowDown') {
      this.slowDowns++;
      this.firstSlowDownAt ??= this.now();
      if (this.usesWindow()) this.window = afterSlowDown(this.window, startedAt, this.inFlight, this.nextSeq, this.now());
      this.limiter?.updateClientSendingRate({ errorType: 'THROTTLING' });
      return;
    }
    this.lastAnswerAt = this.now();
    if (this.firstSlowDownAt !== undefined) {
      this.answeredSinceFirst++;
      this.lastAnswerSinceSlowDownAt = this.lastAnswerAt;
    }
    if (this.usesWindow()) this.window = afterAnswer(this.window, this.maxInFlight, this.lastAnswerAt);
    this.limiter?.updateClientSendingRate({});
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.queue.indexOf(wake);
        if (at >= 0) this.queue.splice(at, 1);
        reject(abortError(signal!));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(wake);
    });
  }

  private wakeWaiting(): void {
    while (this.queue.length > 0 && this.inFlight < Math.floor(this.window.limit)) {
      this.inFlight++;
      this.queue.shift()!();
    }
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
