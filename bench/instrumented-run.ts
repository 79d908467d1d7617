import type { S3Client } from '@aws-sdk/client-s3';
import { attachRequestCounter } from '../src/internal.js';
import { trackConnections, type ConnectionCounts } from './engine/connections.js';
import { deletePrefix } from './s3-prefix.js';

export interface Probes {
  connections: () => ConnectionCounts;
  requests: () => Record<string, number>;
}

/**
 * Runs a suite's body with connection and request counting attached, then deletes everything under
 * the run prefix whatever happened, so no suite can forget its clean-up or leave a probe attached.
 */
export async function instrumentedRun<T>(
  client: S3Client,
  bucket: string,
  runPrefix: string,
  body: (probes: Probes) => Promise<T>,
): Promise<{ result: T; cleanup: { deleted: number; leftover: number } }> {
  const connections = trackConnections();
  const counter = attachRequestCounter(client);
  let outcome: { ok: true; result: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, result: await body({ connections: connections.read, requests: () => ({ ...counter.counts }) }) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  connections.dispose();
  counter.detach();
  const cleanup = await deletePrefix(client, bucket, runPrefix);
  if (!outcome.ok) throw outcome.error;
  return { result: outcome.result, cleanup };
}
