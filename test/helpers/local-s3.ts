import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { listSizes } from '../../bench/harness/listing.js';
import { startLocalS3, type LocalS3 } from '../../tools/local-s3/start-local-s3.js';
import { createS3Client } from '../../src/s3/create-client.js';

export interface TestS3 extends LocalS3 {
  client: S3Client;
  /** Env for running the CLI against this server. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** A real s3rver on 127.0.0.1, random port, fresh folder, with the given buckets. */
export async function startTestS3(buckets: string[] = ['test-bucket']): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3zipsync-s3-'));
  const server = await startLocalS3({ directory, buckets });
  const client = createS3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials });
  return {
    ...server,
    client,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: server.endpoint,
      AWS_PROFILE: '',
      NODE_OPTIONS: '',
    },
    async close() {
      client.destroy();
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
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
