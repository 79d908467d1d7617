import type { S3Client } from '@aws-sdk/client-s3';
import { describeEndpoint } from '../src/internal.js';
import { median } from './engine/stats.js';
import { ownVersion, packageVersion } from './harness/provenance.js';

export interface Environment {
  node: string;
  sdk: string;
  s3zipsync: string;
  endpoint: string;
  region: string;
  /**
   * Median round trip of an unsigned `HEAD /` to the endpoint on a warm connection: the network and
   * server floor under every strategy, without the SDK's own cost (whatever status the server answers).
   */
  /** NaN when the endpoint did not answer a plain request. */
  baselineRttMs: number;
  platform: string;
}

export async function describeEnvironment(client: S3Client): Promise<Environment> {
  const endpoint = await describeEndpoint(client);
  return {
    node: process.version,
    sdk: packageVersion('@aws-sdk/client-s3'),
    s3zipsync: ownVersion(),
    endpoint,
    region: await client.config.region(),
    baselineRttMs: await baselineRtt(endpoint).catch(() => Number.NaN),
    platform: `${process.platform} ${process.arch}`,
  };
}

async function baselineRtt(endpoint: string): Promise<number> {
  // fetch (undici) is invisible to the http diagnostics channels the connection counts come from.
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const start = process.hrtime.bigint();
    const response = await fetch(endpoint, { method: 'HEAD' });
    await response.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times.slice(2)); // the first two open and warm the connection
}
