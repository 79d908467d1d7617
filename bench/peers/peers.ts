import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONCURRENCY } from '../../src/option-defaults.js';
import { CLI_PATH, localCliEnv, NODE_SETTINGS_OF_THIS_SHELL } from '../run/s3zipsync-cli.js';

/** Where one run of a tool syncs to and from. */
export interface SyncTarget {
  /** The counting proxy in front of the server: every tool talks to it. */
  endpoint: string;
  bucket: string;
  /** Ends with `/`. */
  prefix: string;
  folder: string;
  zipPath: string;
  /** Scratch folder for the tool's config files. */
  workDir: string;
  /** The server's keys; s3rver's built-in ones when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface ToolCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface Tool {
  /** Short name, also used in bucket names: lower-case letters, digits and hyphens. */
  name: string;
  /** Whether this is an s3zipsync run (the reference of the ratios). */
  isS3ZipSync: boolean;
  /** What the flags mean, for the report. */
  note: string;
  /** The same command syncs the first time and the no-change time. */
  command(target: SyncTarget): ToolCommand;
  /** Binary and arguments that print the version. */
  version: { file: string; args: string[] };
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** An environment with no AWS or tool settings of the caller leaking in. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('RCLONE_') && !k.startsWith('S3ZIPSYNC_') && !NODE_SETTINGS_OF_THIS_SHELL.includes(k)),
  );
}

/** s3zipsync with one strategy (or its default), under the bench's own Node or under `node` (a Node binary and its major version). */
export function s3zipsyncTool(strategy: string | undefined, node?: { path: string; major: number }): Tool {
  const nodePath = node?.path ?? process.execPath;
  return {
    name: `${strategy ? `s3zipsync-${strategy}` : 's3zipsync'}${node ? `-node${node.major}` : ''}`,
    isS3ZipSync: true,
    note: `syncs the zip (not the folder); ${strategy ? `--strategy ${strategy}` : 'default strategy'}, default concurrency; compares sizes${node ? `; under Node ${node.major} (${node.path})` : ''}`,
    command: (t) => ({
      file: nodePath,
      args: [
        CLI_PATH, t.zipPath, '--bucket', t.bucket, '--prefix', t.prefix, ...(strategy ? ['--strategy', strategy] : []),
        '--json', '--no-progress', '--endpoint-url', t.endpoint, '--force-path-style',
      ],
      env: localCliEnv(),
    }),
    version: { file: nodePath, args: [CLI_PATH, '--version'] },
  };
}

/**
 * awscli (v1 or v2, whichever is on PATH). `--size-only` gives the same rule as s3zipsync; without it
 * aws compares size and modification time, which still needs no extra request. The checksum settings
 * make botocore send plain bodies: with its default (when_supported) s3rver stores the aws-chunked
 * framing, and the sanity check reports the wrong bytes.
 */
export const awsCli: Tool = awsCliTool('aws');

/** awsCli under another name, with `max_concurrent_requests` set in its config file when given. */
export function awsCliTool(name: string, maxConcurrentRequests?: number): Tool {
  const concurrency = maxConcurrentRequests === undefined ? '' : `  max_concurrent_requests = ${maxConcurrentRequests}\n`;
  return {
    name,
    isS3ZipSync: false,
    note: `\`aws s3 sync <folder> s3://<bucket>/<prefix> --size-only --no-progress\` (${maxConcurrentRequests === undefined ? 'default max_concurrent_requests 10' : `max_concurrent_requests ${maxConcurrentRequests} in its config`}); AWS_REQUEST_CHECKSUM_CALCULATION=when_required (aws-cli 1.45 stored identical bytes without it too, checked by hand; v2 needs it)`,
    command: (t) => {
      const config = join(t.workDir, 'aws-config');
      writeFileSync(config, `[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n${concurrency}`);
      const credentials = t.credentials ?? CREDENTIALS;
      return {
        file: 'aws',
        args: ['s3', 'sync', t.folder, `s3://${t.bucket}/${t.prefix}`, '--size-only', '--no-progress', '--only-show-errors', '--endpoint-url', t.endpoint],
        env: {
          ...cleanEnv(),
          AWS_CONFIG_FILE: config,
          AWS_SHARED_CREDENTIALS_FILE: join(t.workDir, 'no-credentials'),
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
          AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
          AWS_PAGER: '',
        },
      };
    },
    version: { file: 'aws', args: ['--version'] },
  };
}

export function rcloneEnv(t: SyncTarget): NodeJS.ProcessEnv {
  const config = join(t.workDir, 'rclone.conf');
  writeFileSync(config, '');
  return {
    ...cleanEnv(),
    RCLONE_CONFIG: config,
    RCLONE_CONFIG_PEER_TYPE: 's3',
    RCLONE_CONFIG_PEER_PROVIDER: 'Other',
    RCLONE_CONFIG_PEER_ENDPOINT: t.endpoint,
    RCLONE_CONFIG_PEER_ACCESS_KEY_ID: (t.credentials ?? CREDENTIALS).accessKeyId,
    RCLONE_CONFIG_PEER_SECRET_ACCESS_KEY: (t.credentials ?? CREDENTIALS).secretAccessKey,
    RCLONE_CONFIG_PEER_REGION: 'us-east-1',
    RCLONE_CONFIG_PEER_FORCE_PATH_STYLE: 'true',
  };
}

/** rclone as installed: compares size and modification time, which on S3 costs a HEAD per existing object. */
export const rcloneDefault: Tool = {
  name: 'rclone',
  isS3ZipSync: false,
  note: '`rclone sync <folder> peer:<bucket>/<prefix>` with defaults (size + modtime, --transfers 4 --checkers 8)',
  command: (t) => ({ file: 'rclone', args: ['sync', t.folder, `peer:${t.bucket}/${t.prefix}`], env: rcloneEnv(t) }),
  version: { file: 'rclone', args: ['version'] },
};

/**
 * rclone with the flags its S3 documentation recommends for speed, on the same rule as s3zipsync:
 * `--size-only` (no modtime HEADs), `--fast-list` (one recursive listing), `--s3-no-check-bucket`
 * (the bucket exists), and transfers/checkers matched to s3zipsync's default concurrency.
 */
export const rcloneTuned: Tool = {
  name: 'rclone-tuned',
  isS3ZipSync: false,
  note: `\`rclone sync <folder> peer:<bucket>/<prefix> --size-only --fast-list --s3-no-check-bucket --transfers ${DEFAULT_CONCURRENCY} --checkers ${DEFAULT_CONCURRENCY}\``,
  command: (t) => ({
    file: 'rclone',
    args: ['sync', t.folder, `peer:${t.bucket}/${t.prefix}`, '--size-only', '--fast-list', '--s3-no-check-bucket', '--transfers', String(DEFAULT_CONCURRENCY), '--checkers', String(DEFAULT_CONCURRENCY)],
    env: rcloneEnv(t),
  }),
  version: { file: 'rclone', args: ['version'] },
};

/** s3cmd uploads one file at a time; `--no-check-md5` makes it compare sizes only, like the others. */
export const s3cmd: Tool = {
  name: 's3cmd',
  isS3ZipSync: false,
  note: '`s3cmd sync <folder>/ s3://<bucket>/<prefix> --no-check-md5 --no-progress` (single-threaded)',
  command: (t) => {
    const host = new URL(t.endpoint).host;
    const config = join(t.workDir, 's3cmd.cfg');
    writeFileSync(
      config,
      [
        '[default]',
        `access_key = ${CREDENTIALS.accessKeyId}`,
        `secret_key = ${CREDENTIALS.secretAccessKey}`,
        `host_base = ${host}`,
        `host_bucket = ${host}`,
        'use_https = False',
        'signature_v2 = False',
        'bucket_location = us-east-1',
        '',
      ].join('\n'),
    );
    return {
      file: 's3cmd',
      args: ['-c', config, 'sync', `${t.folder}/`, `s3://${t.bucket}/${t.prefix}`, '--no-check-md5', '--no-progress', '--quiet'],
      env: cleanEnv(),
    };
  },
  version: { file: 's3cmd', args: ['--version'] },
};

export const PEERS: readonly Tool[] = [awsCli, rcloneDefault, rcloneTuned, s3cmd];
