import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createS3Client } from '../../src/internal.js';
import { startLocalS3 } from '../../tools/local-s3/start-local-s3.js';
import { packageRoot } from '../harness/provenance.js';
import { describeServerData, makeServerDataDir, type ServerDataPlace } from '../harness/server-data.js';

const run = promisify(execFile);

export type ServerKind = 's3rver' | 'rgw' | 'endpoint';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The S3 server of one bench run, whichever it is; the tools reach it through the proxy, the checks directly. */
export interface BenchServer {
  kind: ServerKind;
  endpoint: string;
  credentials: Credentials;
  /** For the report's provenance. */
  description: string;
  /** Talks to the server directly, for set-up and the checks. */
  client: S3Client;
  /** Removes a bucket and everything in it, so earlier runs do not make the server slower or full. */
  dropBucket(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  kind: ServerKind;
  /** With kind `endpoint`: its URL; keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  endpoint?: string;
  workDir: string;
  serverData: ServerDataPlace;
  keep: boolean;
  log: (message: string) => void;
}

export async function startBenchServer(options: ServerOptions): Promise<BenchServer> {
  switch (options.kind) {
    case 's3rver':
      return startS3rver(options);
    case 'rgw':
      return startRgw(options);
    case 'endpoint':
      return useEndpoint(options);
  }
}

function directClient(endpoint: string, credentials: Credentials): S3Client {
  return createS3Client({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true, credentials });
}

async function startS3rver(options: ServerOptions): Promise<BenchServer> {
  const dataDir = makeServerDataDir(options.serverData, options.workDir);
  const server = await startLocalS3({ directory: dataDir });
  const client = directClient(server.endpoint, server.credentials);
  return {
    kind: 's3rver',
    endpoint: server.endpoint,
    credentials: server.credentials,
    description: `s3rver (${describeServerData(options.serverData)}); it lists in filesystem order, not S3's byte order, and slowly`,
    client,
    // s3rver keeps a bucket as a folder: dropping it is instant, deleting 100,000 objects through it is not.
    async dropBucket(bucket) {
      rmSync(join(dataDir, bucket), { recursive: true, force: true });
    },
    async stop() {
      client.destroy();
      await server.stop();
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startRgw(options: ServerOptions): Promise<BenchServer> {
  const scripts = join(packageRoot(), 'tools', 'rgw');
  const folder = join(options.workDir, 'rgw');
  options.log('starting a throwaway radosgw (tools/rgw/start-rgw.sh, ~15 s)');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [join(scripts, 'start-rgw.sh'), folder], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`start-rgw.sh exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
  });
  const env = readEnvFile(join(folder, 'env'));
  const endpoint = env.S3ZIPSYNC_RGW_ENDPOINT!;
  const conf = env.S3ZIPSYNC_RGW_CONF!;
  const credentials = { accessKeyId: env.S3ZIPSYNC_RGW_ACCESS_KEY!, secretAccessKey: env.S3ZIPSYNC_RGW_SECRET_KEY! };
  const client = directClient(endpoint, credentials);
  const version = await run('radosgw', ['--version'], { encoding: 'utf8' }).then((r) => r.stdout.trim().split('\n')[0], () => 'radosgw');
  return {
    kind: 'rgw',
    endpoint,
    credentials,
    description: `${version} (throwaway single-node cluster, memstore OSD, tools/rgw/start-rgw.sh)`,
    client,
    // radosgw-admin removes a bucket's objects inside the cluster, without one HTTP request per thousand keys.
    async dropBucket(bucket) {
      await run('radosgw-admin', ['-c', conf, 'bucket', 'rm', `--bucket=${bucket}`, '--purge-objects'], { timeout: 300_000 }).catch(() => deleteThroughS3(client, bucket));
    },
    async stop() {
      client.destroy();
      await run('bash', [join(scripts, 'stop-rgw.sh'), folder, ...(options.keep ? ['--keep'] : [])]);
    },
  };
}

async function useEndpoint(options: ServerOptions): Promise<BenchServer> {
  const endpoint = options.endpoint!;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new Error('--endpoint needs the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  const credentials = { accessKeyId, secretAccessKey };
  const client = directClient(endpoint, credentials);
  return {
    kind: 'endpoint',
    endpoint,
    credentials,
    description: `${endpoint} (given with --endpoint; buckets created and deleted by the bench)`,
    client,
    dropBucket: (bucket) => deleteThroughS3(client, bucket),
    async stop() {
      client.destroy();
    },
  };
}

async function deleteThroughS3(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) break;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** `export NAME=value` lines of the env file start-rgw.sh writes. */
export function readEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^export\s+([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}
