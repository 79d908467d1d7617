import type { ProxyAction, ProxyPlugin } from './reverse-proxy.js';

/** S3's request-rate classes: its per-prefix limits are set per class (3,500 PUT/COPY/POST/DELETE, 5,500 GET/HEAD per second). */
export type RequestClass = 'put' | 'get' | 'list';

export const REQUEST_CLASSES: readonly RequestClass[] = ['put', 'get', 'list'];

const CLASS_OF: ReadonlyMap<string, RequestClass> = new Map([
  ...['PutObject', 'UploadPart', 'UploadPartCopy', 'CreateMultipartUpload', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'CopyObject', 'DeleteObject', 'DeleteObjects', 'PutObjectAcl', 'PutObjectTagging'].map(
    (op) => [op, 'put'] as const,
  ),
  ...['GetObject', 'HeadObject', 'GetObjectAcl', 'GetObjectTagging'].map((op) => [op, 'get'] as const),
  ...['ListObjectsV2', 'ListObjects', 'ListParts', 'ListMultipartUploads'].map((op) => [op, 'list'] as const),
]);

/** The class an S3 operation is limited in; undefined for bucket-level calls, which are never throttled here. */
export function requestClassOf(operation: string): RequestClass | undefined {
  return CLASS_OF.get(operation);
}

export interface ThrottleConfig {
  /** Requests per second per bucket, by class; a class without a rate is not limited. */
  rates: Partial<Record<RequestClass, number>>;
  /** Requests a full bucket lets through at once, by class (default: a tenth of a second's rate, at least 1). */
  burst?: Partial<Record<RequestClass, number>>;
  /** Milliseconds on any monotonic clock; injected by tests. */
  now?: () => number;
}

export type ThrottleCounts = Record<RequestClass, number>;

export interface ThrottlePlugin extends ProxyPlugin {
  /** 503 SlowDown answers by class since start or the last `take()`. */
  current(): ThrottleCounts;
  /** Starts a new count and returns the previous one. */
  take(): ThrottleCounts;
  /** Off: every request passes and nothing is counted (the same proxy serves throttled and free runs). */
  setEnabled(enabled: boolean): void;
}

/** What S3 answers over its request rate; a HEAD gets the status alone (the proxy sends no body for HEAD). */
export const SLOW_DOWN: ProxyAction = { respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export function defaultBurst(rate: number): number {
  return Math.max(1, Math.round(rate / 10));
}

/**
 * A token bucket per S3 bucket and request class: each request takes a token, tokens come back at
 * the class's rate up to its burst, and a request finding none is answered 503 SlowDown without
 * reaching the server, as S3 does past its per-prefix rate. Refilled lazily on each request (no
 * timers), so a request costs a map lookup and a little arithmetic in the bench's process.
 */
export function createThrottlePlugin(config: ThrottleConfig): ThrottlePlugin {
  const now = config.now ?? (() => performance.now());
  const limits = new Map<RequestClass, { perMs: number; burst: number }>();
  for (const cls of REQUEST_CLASSES) {
    const rate = config.rates[cls];
    if (rate === undefined) continue;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`throttle rate of ${cls} must be > 0 requests per second, got ${rate}`);
    const burst = config.burst?.[cls] ?? defaultBurst(rate);
    if (!(burst >= 1)) throw new RangeError(`throttle burst of ${cls} must be ≥ 1, got ${burst}`);
    limits.set(cls, { perMs: rate / 1000, burst });
  }
  const buckets = new Map<string, Bucket>();
  let enabled = true;
  let counts = zeroCounts();
  return {
    onRequest(request) {
      if (!enabled) return undefined;
      const cls = CLASS_OF.get(request.operation);
      const limit = cls && limits.get(cls);
      if (!cls || !limit) return undefined;
      const key = `${bucketOf(request.url)} ${cls}`;
      const at = now();
      let state = buckets.get(key);
      if (!state) {
        state = { tokens: limit.burst, refilledAt: at };
        buckets.set(key, state);
      } else {
        state.tokens = Math.min(limit.burst, state.tokens + (at - state.refilledAt) * limit.perMs);
        state.refilledAt = at;
      }
      if (state.tokens >= 1) {
        state.tokens -= 1;
        return undefined;
      }
      counts[cls]++;
      return SLOW_DOWN;
    },
    current: () => ({ ...counts }),
    take() {
      const previous = counts;
      counts = zeroCounts();
      return previous;
    },
    setEnabled(on) {
      enabled = on;
      // A new throttled run meets a fresh prefix, as a first sync into a new bucket does on S3.
      if (on) buckets.clear();
    },
  };
}

function zeroCounts(): ThrottleCounts {
  return { put: 0, get: 0, list: 0 };
}

/** The bucket of a path-style URL (`/bucket/key?query`). */
function bucketOf(url: string): string {
  const rest = url.slice(1);
  const stop = rest.search(/[/?]/);
  return stop === -1 ? rest : rest.slice(0, stop);
}
