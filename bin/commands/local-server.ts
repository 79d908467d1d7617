import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { CliContext } from '../cli-context.js';

interface LocalServerFlags {
  dir: string;
  port: number;
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
        .option('port', { type: 'number', default: 4568, describe: 'Port on 127.0.0.1 (0 picks a free one)' })
        .option('bucket', { type: 'string', array: true, default: ['demo-bucket'], describe: 'Buckets to create' }) as unknown as Argv<LocalServerFlags>,
    handler: async (argv: ArgumentsCamelCase<LocalServerFlags>) => {
      // Loaded only here, so the library and a Lambda bundle never pull the server in.
      const { startLocalS3 } = await import('../../tools/local-s3/start-local-s3.js');
      const directory = resolve(argv.dir);
      mkdirSync(directory, { recursive: true });
      const server = await startLocalS3({ directory, port: argv.port, buckets: argv.bucket });
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
