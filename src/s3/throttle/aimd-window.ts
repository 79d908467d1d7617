/**
 * The number of requests a run may have in flight once S3 has asked it to slow down: additive
 * increase, multiplicative decrease (TCP's congestion window, on requests instead of bytes). Pure:
 * the controller (throttle-controller.ts) owns the clock and the queue.
 *
 * Before the first slow-down there is no limit: an S3 that never throttles must not be paced.
 */
export interface WindowState {
  /** Requests allowed in flight; `Infinity` until the first slow-down. Fractional: it grows by 1/limit per success. */
  readonly limit: number;
  /**
   * Sequence number of the first request started after the last cut. A slow-down of a request started
   * before it answers the window already cut, so it does not cut again: one cut per round trip, not
   * one per 503 of a burst.
   */
  readonly cutAt: number;
  /** When (ms) the window last grew or was cut. */
  readonly grownAt: number;
}

/**
 * On a slow-down, keep this share of the window. 0.5 (TCP Reno) leaves the server idle for half of
 * each cycle against a token-bucket limit; 0.7 is CUBIC's. `npm run bench:remote` at 300 PUT/s
 * measured 1.27× N/rate for 5,000 files and 1.15× for 20,000 (bench/results/2026-12-06-2core-amd-epyc.md),
 * and 1.15× for 5,000 on another machine; 0.85 there doubled the slow-downs (each holds its slot for a
 * backoff) and took 1.25× (bench/results/2026-12-06-2core-intel-xeon.md).
 */
export const WINDOW_BACKOFF = 0.7;
/** Below this, requests are no longer overlapped at all. */
export const MIN_WINDOW = 1;

export const OPEN_WINDOW: WindowState = { limit: Number.POSITIVE_INFINITY, cutAt: 0, grownAt: 0 };

/**
 * Growth is bounded in time, not only per round trip: at 20 ms a round trip, +1 per round trip is
 * +50 requests in flight a second, and the run would be cut again within a few round trips, each cut
 * costing a burst of slow-downs. Against a 150 PUT/s token bucket with 20 ms added (2,000 files,
 * loopback), no time bound cost 402 slow-downs, 100 ms 194 and 300 ms 144, all at 1.02–1.04× N/rate.
 */
export const GROWTH_INTERVAL_MS = 250;

/** A request answered (anything but a slow-down) at time `now` (ms): the window grows by one request per window of answers, at most one per GROWTH_INTERVAL_MS. */
export function afterAnswer(state: WindowState, maxLimit: number, now: number): WindowState {
  if (state.limit === Number.POSITIVE_INFINITY) return state;
  const grown = Math.min(maxLimit, state.limit + 1 / state.limit, state.limit + (now - state.grownAt) / GROWTH_INTERVAL_MS);
  return grown > state.limit ? { ...state, limit: grown, grownAt: now } : state;
}

/**
 * A slow-down of the request with sequence number `startedAt`, seen when `inFlight` were in flight and
 * the next request to start will have number `nextSeq`.
 */
export function afterSlowDown(state: WindowState, startedAt: number, inFlight: number, nextSeq: number, now: number): WindowState {
  if (startedAt < state.cutAt) return state;
  // The first cut starts from what was really in flight, not from "no limit".
  const from = state.limit === Number.POSITIVE_INFINITY ? Math.max(inFlight, MIN_WINDOW) : state.limit;
  return { limit: Math.max(MIN_WINDOW, from * WINDOW_BACKOFF), cutAt: nextSeq, grownAt: now };
}
