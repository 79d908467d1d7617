import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface LocalS3 {
  endpoint: string;
  port: number;
  directory: string;
  /** Credentials the embedded server accepts (s3rver's built-in account). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

export interface LocalS3Options {
  /** Folder holding the buckets; created if missing. */
  directory: string;
  /** 0 picks a free port. */
  port?: number;
  /** Buckets to create at start. */
  buckets?: string[];
}

// The server runs in a child process because s3rver must run under --openssl-legacy-provider (its
// ListObjectsV2 continuation tokens use DES) and because its synchronous filesystem walks would
// otherwise stall the client's event loop and distort measurements. It exits when its stdin closes,
// so it never outlives the process that started it.
const SERVER_SCRIPT = `
const S3rver = require(process.env.S3ZIPSYNC_S3RVER_PATH);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.S3ZIPSYNC_PORT),
  silent: true,
  directory: process.env.S3ZIPSYNC_DIRECTORY,
  configureBuckets: JSON.parse(process.env.S3ZIPSYNC_BUCKETS).map((name) => ({ name })),
});
const fail = (error) => {
  process.stdout.write(JSON.stringify({ error: String(error && error.message), code: error && error.code }) + '\\n');
  process.exit(1);
};
// A busy port is an 'error' event on s3rver's http server, which run() neither listens for nor rejects with.
process.on('uncaughtException', fail);
server.run().then(() => {
  process.stdout.write(JSON.stringify({ port: server.httpServer.address().port }) + '\\n');
}, fail);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/** Why the server did not start; `code` is the system's (EADDRINUSE, EACCES) when it gave one. */
export class LocalS3StartError extends Error {
  override readonly name = 'LocalS3StartError';

  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  let s3rverPath: string;
  try {
    s3rverPath = createRequire(import.meta.url).resolve('s3rver');
  } catch {
    throw new Error('the embedded S3 server (npm package s3rver) is not installed; run npm install s3rver');
  }
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--input-type=commonjs', '-e', SERVER_SCRIPT], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      S3ZIPSYNC_S3RVER_PATH: s3rverPath,
      S3ZIPSYNC_PORT: String(options.port ?? 0),
      S3ZIPSYNC_DIRECTORY: options.directory,
      S3ZIPSYNC_BUCKETS: JSON.stringify(options.buckets ?? []),
    },
  });
  const port = await readPort(child);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory: options.directory,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin?.end();
      await exited;
    },
  };
}

async function readPort(child: ChildProcess): Promise<number> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Registered now, so neither an early exit nor a spawn error goes unseen; observed only on failure.
  const closed = once(child, 'close');
  closed.catch(() => {});
  for await (const line of createInterface({ input: child.stdout! })) {
    const answer = JSON.parse(line) as { port: number } | { error: string; code?: string };
    if ('port' in answer) return answer.port;
    throw new LocalS3StartError(`the embedded S3 server did not start: ${answer.error}`, answer.code);
  }
  await closed;
  throw new LocalS3StartError(`the embedded S3 server did not start: ${stderr.trim().split('\n')[0] || 'it exited without a word'}`, undefined);
}
