import type { ProxiedRequest, ProxyPlugin } from './reverse-proxy.js';
import { startReverseProxy } from './reverse-proxy.js';

export interface RequestTally {
  /** Requests by S3 operation, as the server saw them (retries included). */
  byOperation: Record<string, number>;
  /** Answers with a status ≥ 400, by `operation status` (e.g. `HeadObject 404`). */
  errors: Record<string, number>;
  total: number;
}

export interface CountingPlugin extends ProxyPlugin {
  /** What has been counted since start or the last `take()`. */
  current(): RequestTally;
  /** Starts a new tally and returns the previous one. */
  take(): RequestTally;
}

/** Counts every request by operation, and error answers by operation and status. */
export function createCountingPlugin(): CountingPlugin {
  let tally = emptyTally();
  // A request is counted in the tally that was open when it arrived, even if it is answered after a take().
  const openedIn = new WeakMap<ProxiedRequest, RequestTally>();
  const countError = (request: ProxiedRequest, what: string) => {
    const counted = openedIn.get(request) ?? tally;
    const name = `${request.operation} ${what}`;
    counted.errors[name] = (counted.errors[name] ?? 0) + 1;
  };
  return {
    onRequest(request) {
      openedIn.set(request, tally);
      tally.byOperation[request.operation] = (tally.byOperation[request.operation] ?? 0) + 1;
      tally.total++;
      return undefined;
    },
    onResponse(request, status) {
      if (status >= 400) countError(request, String(status));
    },
    onUpstreamError(request) {
      countError(request, 'proxy-error');
    },
    current: () => structuredClone(tally),
    take() {
      const previous = tally;
      tally = emptyTally();
      return previous;
    },
  };
}

function emptyTally(): RequestTally {
  return { byOperation: {}, errors: {}, total: 0 };
}

export interface CountingProxy {
  endpoint: string;
  /** Starts a new tally and returns the previous one. */
  take(): RequestTally;
  close(): Promise<void>;
}

/**
 * A proxy that only observes: every tool is counted the same way whatever SDK it uses, and behaves
 * as it would against the server itself. Upstream connections are pooled so the proxy adds no
 * connection set-up to the runs the bench times.
 */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const counting = createCountingPlugin();
  const proxy = await startReverseProxy(upstream, { plugins: [counting], upstreamKeepAlive: true });
  return { endpoint: proxy.endpoint, take: () => counting.take(), close: () => proxy.stop() };
}
