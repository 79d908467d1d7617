import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { S3ZipSyncError } from '../../src/static-entry.js';
import type { CliContext } from '../cli-context.js';
import { parseCount } from '../parse-count.js';

interface LocalServerFlags {
  dir: string;
  /** As typed, so that a refusal quotes it. */
  port: string;
  bucket: string[];
}

/** Runs the embedded S3-compatible server in the foreground until interrupted. */
export function localServerCommand(context: CliContext): CommandModule<object, LocalServerFlags> {
  return {
    command: 'local-server',
    describe: 'Run the embedded S3-compatible server (s3rver) on 127.0.0.1 until Ctrl-C',
    builder: (yargs: Argv) =>
      yargs
        .option('dir', { type: 'string', default: '.s3zipsync-local/s3', describe: 'Folder holding the buckets' })
        .option('port', { type: 'string', default: '4568', describe: 'Port on 127.0.0.1 (0 picks a free one)' })
        .option('bucket', { type: 'string', array: true, default: ['demo-bucket'], describe: 'Buckets to create' }) as unknown as Argv<LocalServerFlags>,
    handler: async (argv: ArgumentsCamelCase<LocalServerFlags>) => {
      const port = parseCount(argv.port, 'port', 0, 65535);
      // Loaded only here, so the library and a Lambda bundle never pull the server in.
      const { startLocalS3, LocalS3StartError } = await import('../../tools/local-s3/start-local-s3.js');
      const directory = resolve(argv.dir);
      mkdirSync(directory, { recursive: true });
      const server = await startLocalS3({ directory, port, buckets: argv.bucket }).catch((error: unknown) => {
        throw error instanceof LocalS3StartError ? new S3ZipSyncError('INVALID_OPTION', startFailure(error, port)) : error;
      });
      context.stdout.write(
        `embedded S3 server on ${server.endpoint} (data in ${directory}, buckets: ${argv.bucket.join(', ')})\n` +
          `credentials: AWS_ACCESS_KEY_ID=${server.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${server.credentials.secretAccessKey} AWS_REGION=us-east-1\n`,
      );
      if (!context.signal.aborted) await new Promise((done) => context.signal.addEventListener('abort', done, { once: true }));
      await server.stop();
      context.setExitCode(0);
    },
  };
}

/** Which port, why, and what to type instead. */
function startFailure(error: { message: string; code: string | undefined }, port: number): string {
  if (error.code === 'EADDRINUSE') return `cannot listen on 127.0.0.1:${port}: the port is already in use (another local-server?); pick another with --port, or --port 0 for a free one`;
  if (error.code === 'EACCES') return `cannot listen on 127.0.0.1:${port}: permission denied (ports below 1024 need privileges); pick another with --port, e.g. --port 4568`;
  return `cannot start the embedded S3 server on 127.0.0.1:${port}: ${error.message.replace(/^the embedded S3 server did not start: /, '')}`;
}
