import diagnostics_channel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

export interface ConnectionCounts {
  newSockets: number;
  reusedSockets: number;
}

/**
 * Counts, for every HTTP response this process receives, whether its request went over a kept-alive
 * socket or a new one (TCP, and TLS on https). This is what explains a latency gap between
 * strategies: a request that cannot reuse a socket pays a handshake.
 * Counting is process-wide, so the scheduler reads it around one timed region at a time.
 */
export function trackConnections(): { read(): ConnectionCounts; dispose(): void } {
  const counts: ConnectionCounts = { newSockets: 0, reusedSockets: 0 };
  const onResponse = (message: unknown) => {
    const request = (message as { request?: ClientRequest }).request;
    if (!request) return;
    if (request.reusedSocket) counts.reusedSockets++;
    else counts.newSockets++;
  };
  diagnostics_channel.subscribe('http.client.response.finish', onResponse);
  return {
    read: () => ({ ...counts }),
    dispose: () => diagnostics_channel.unsubscribe('http.client.response.finish', onResponse),
  };
}
