import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createS3Client } from '../../src/internal.js';
import { startLocalS3, type LocalS3 } from '../../tools/local-s3/start-local-s3.js';
import { localCliEnv } from '../run/s3zipsync-cli.js';
import { defaultServerDataPlace, makeServerDataDir, type ServerDataPlace } from './server-data.js';

export interface LocalS3Run {
  server: LocalS3;
  endpoint: string;
  /** A client talking to the server directly, for set-up and verification. */
  client: S3Client;
  /** A client with connections of its own, so that a timed run does not profit from another's warm ones; the caller destroys it. */
  newClient(): S3Client;
  /** A temporary folder for archives and tool state, removed afterwards unless kept. */
  workDir: string;
  /** s3rver's data folder: each bucket is a folder in it, so a bucket whose runs are over can be dropped with rmSync. */
  dataDir: string;
  /** Whether dataDir is on tmpfs or on disk. */
  serverData: ServerDataPlace;
  /** The environment for a CLI run against this server: credentials only, nothing of the caller's S3ZIPSYNC_* or AWS_* settings. */
  cliEnv: NodeJS.ProcessEnv;
}

export interface LocalS3Options {
  /** Buckets to create at start. */
  buckets?: string[];
  /** Keep the temporary folder (archives and server data) and say where it is. */
  keep?: boolean;
  log?: (message: string) => void;
  /** Where the server keeps its objects (server-data.ts); memory where the machine has a tmpfs. */
  serverData?: ServerDataPlace;
}

/** Starts the embedded S3 server in a fresh temporary folder, runs `use`, and stops and cleans up whatever happens. */
export async function withLocalS3<T>(options: LocalS3Options, use: (s3: LocalS3Run) => Promise<T>): Promise<T> {
  const workDir = mkdtempSync(join(os.tmpdir(), 's3zipsync-bench-'));
  const serverData = options.serverData ?? defaultServerDataPlace();
  const dataDir = makeServerDataDir(serverData, workDir);
  // The SDK's "future versions need Node 22" notice, which the CLI silences the same way.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let server: LocalS3 | undefined;
  let client: S3Client | undefined;
  try {
    server = await startLocalS3({ directory: dataDir, buckets: options.buckets ?? [] });
    const { endpoint, credentials } = server;
    const newClient = () => createS3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    client = newClient();
    return await use({ server, endpoint, client, newClient, workDir, dataDir, serverData, cliEnv: localCliEnv() });
  } finally {
    client?.destroy();
    await server?.stop().catch(() => {});
    if (options.keep) options.log?.(`kept ${workDir}${dataDir.startsWith(workDir) ? '' : ` and ${dataDir}`}`);
    else {
      rmSync(workDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
