import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describeEndpoint } from '../src/index.js';
import { median } from './engine/stats.js';

export interface Environment {
  node: string;
  sdk: string;
  s3zipsync: string;
  endpoint: string;
  region: string;
  /** Median HeadBucket round trip on a warm connection: the floor every strategy pays. */
  baselineRttMs: number;
  platform: string;
}

const require = createRequire(import.meta.url);

export async function describeEnvironment(client: S3Client, bucket: string): Promise<Environment> {
  return {
    node: process.version,
    sdk: packageVersion('@aws-sdk/client-s3/package.json'),
    s3zipsync: ownVersion(),
    endpoint: await describeEndpoint(client),
    region: await client.config.region(),
    baselineRttMs: await baselineRtt(client, bucket),
    platform: `${process.platform} ${process.arch}`,
  };
}

async function baselineRtt(client: S3Client, bucket: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const start = process.hrtime.bigint();
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times.slice(2)); // the first two open and warm the connection
}

function packageVersion(path: string): string {
  try {
    return (require(path) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function ownVersion(): string {
  // bench/ and dist/bench/ sit at different depths below the package root.
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 's3zipsync' && pkg.version) return pkg.version;
    } catch {
      // try the next depth
    }
  }
  return 'unknown';
}
