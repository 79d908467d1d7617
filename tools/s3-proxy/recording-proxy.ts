import type { ProxiedRequest, ProxyPlugin } from './reverse-proxy.js';

export interface RecordingPlugin extends ProxyPlugin {
  /** The requests seen since the last call (or since start), with their headers as sent. */
  take(): ProxiedRequest[];
}

/** Keeps every request with its headers, so a test can check what went on the wire (SSE, storage class…) that the server may not store. */
export function createRecordingPlugin(): RecordingPlugin {
  let seen: ProxiedRequest[] = [];
  return {
    onRequest(request) {
      seen.push({ ...request, headers: { ...request.headers } });
      return undefined;
    },
    take() {
      const taken = seen;
      seen = [];
      return taken;
    },
  };
}
