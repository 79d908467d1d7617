import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createS3Client } from '../../src/s3/create-client.js';
import { startLocalS3 } from '../local-s3/start-local-s3.js';
import { localFunctions } from './local-functions.js';
import { runWorkflow, type WorkflowRun } from './run-workflow.js';

export interface LocalRunOptions {
  /** The zip's bytes, stored as s3://incomingBucket/key before the run (omit to use an object already there). */
  zip?: Buffer;
  key: string;
  /** Any S3 endpoint (credentials and region from the standard AWS chain); default: the embedded server, started and stopped here. */
  endpoint?: string;
  incomingBucket?: string;
  targetBucket?: string;
  /** The functions' environments, as template.yaml sets them (TARGET_BUCKET is filled in). */
  syncEnv?: Record<string, string>;
  planEnv?: Record<string, string>;
  /** Called with each new client (one per invocation, as Lambda sandboxes): to count or inspect requests. */
  onClient?: (client: S3Client) => void;
  retryPauseMs?: number;
}

/** The whole workflow, end to end, as `sam deploy` would run it after an upload under huge/. */
export async function runLocally(options: LocalRunOptions): Promise<WorkflowRun> {
  const incoming = options.incomingBucket ?? 'incoming';
  const target = options.targetBucket ?? 'extracted';
  let stop = async () => {};
  let clientOptions: Parameters<typeof createS3Client>[0] = {};
  if (options.endpoint) {
    clientOptions = { endpoint: options.endpoint, forcePathStyle: true };
  } else {
    const directory = mkdtempSync(path.join(tmpdir(), 's3zipsync-workflow-'));
    const server = await startLocalS3({ directory, buckets: [incoming, target] });
    clientOptions = { endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: server.credentials };
    stop = async () => {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    };
  }
  try {
    if (options.zip) {
      const uploader = createS3Client(clientOptions);
      try {
        await uploader.send(new PutObjectCommand({ Bucket: incoming, Key: options.key, Body: options.zip }));
      } finally {
        uploader.destroy();
      }
    }
    const functions = localFunctions({
      client: () => {
        const client = createS3Client(clientOptions);
        options.onClient?.(client);
        return client;
      },
      syncEnv: { TARGET_PREFIX: '{stem}/', FAIL_ON_INCOMPLETE: 'true', ...options.syncEnv, TARGET_BUCKET: target },
      planEnv: options.planEnv ?? {},
    });
    const input = { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: incoming }, object: { key: options.key } } };
    return await runWorkflow({ input, functions, ...(options.retryPauseMs !== undefined ? { retryPauseMs: options.retryPauseMs } : {}) });
  } finally {
    await stop();
  }
}
