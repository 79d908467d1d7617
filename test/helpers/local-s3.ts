import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { listSizes } from '../../bench/harness/listing.js';
import { startLocalS3, type LocalS3 } from '../../tools/local-s3/start-local-s3.js';
import { createRgwTenant, rgwFromEnv } from './rgw-tenant.js';
import { TEST_SERVER, type TestServerKind } from './test-server.js';
import { createS3Client } from '../../src/s3/create-client.js';

export interface TestS3 extends LocalS3 {
  client: S3Client;
  /** Which server this is: tests that depend on one server's behaviour check it (see docs/s3-servers.md). */
  kind: TestServerKind;
  /** Env for running the CLI against this server. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * A server for one test file with the given buckets, empty: a fresh s3rver on a random port by default,
 * or, when S3ZIPSYNC_TEST_SERVER=rgw (`npm run test:rgw`), a fresh tenant on the shared radosgw that
 * tools/rgw/start-rgw.sh started, so the same bucket names never meet another test's objects.
 */
export async function startTestS3(buckets: string[] = ['test-bucket']): Promise<TestS3> {
  return TEST_SERVER === 'rgw' ? startRgwTenant(buckets) : startS3rver(buckets);
}

async function startS3rver(buckets: string[]): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3zipsync-s3-'));
  const server = await startLocalS3({ directory, buckets });
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  return {
    ...server,
    kind: 's3rver',
    client,
    env: cliEnv(server.endpoint, server.credentials),
    async close() {
      client.destroy();
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function startRgwTenant(buckets: string[]): Promise<TestS3> {
  const rgw = rgwFromEnv();
  const tenant = await createRgwTenant(rgw);
  const client = createS3Client({ endpoint: rgw.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: tenant.credentials });
  for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    kind: 'rgw',
    endpoint: rgw.endpoint,
    port: Number(new URL(rgw.endpoint).port),
    directory: dirname(rgw.conf), // the cluster's folder; its buckets live in the OSD's memory
    credentials: tenant.credentials,
    client,
    env: cliEnv(rgw.endpoint, tenant.credentials),
    // The gateway is shared by the whole run: stopping it is start-rgw's caller's job, not a test's.
    async stop() {},
    async close() {
      client.destroy();
      await tenant.remove();
    },
  };
}

const HARNESS_VARIABLE = /^S3ZIPSYNC_(TEST_SERVER|RGW_)/;

function cliEnv(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  // The CLI reads every S3ZIPSYNC_* variable as an option (and warns about unknown ones): the harness's own
  // variables (S3ZIPSYNC_TEST_SERVER, S3ZIPSYNC_RGW_*) are not the CLI's to see.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !HARNESS_VARIABLE.test(name)));
  return {
    ...inherited,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_PROFILE: '',
    NODE_OPTIONS: '',
  };
}

/** Every key under the prefix with its size. */
export async function listKeys(client: S3Client, bucket: string, prefix = ''): Promise<Map<string, number>> {
  return listSizes(client, bucket, prefix);
}

/** sha256 of an object's bytes as stored, read back over HTTP. */
export async function objectSha256(client: S3Client, bucket: string, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
