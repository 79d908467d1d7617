import { awsCliTool, rcloneEnv, type Tool } from '../peers/peers.js';
import { CLI_PATH, localCliEnv } from '../run/s3zipsync-cli.js';

/** The peers of this figure, by the name `--tools` takes. */
export const PEER_NAMES = ['rclone', 'rclone-fast-list', 'aws'] as const;
export const TOOL_NAMES = ['s3zipsync', ...PEER_NAMES] as const;

export const CONCURRENCY = 64;

/** `name=--flag value --flag2`: a name for the report and the CLI flags, split on whitespace (no quoting). */
export interface Variant {
  name: string;
  args: string[];
}

export function parseVariant(text: string): Variant {
  const at = text.indexOf('=');
  const name = at === -1 ? '' : text.slice(0, at).trim();
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new RangeError(`--variant ${JSON.stringify(text)}: expected NAME=FLAGS with a NAME of lower-case letters, digits and hyphens`);
  const args = text.slice(at + 1).trim().split(/\s+/).filter(Boolean);
  if (args.length === 0) throw new RangeError(`--variant ${JSON.stringify(text)}: no flags after the name`);
  return { name, args };
}

/** s3zipsync on the zip with its defaults, plus a variant's flags; keys and endpoint as the target says. */
export function s3zipsyncTool(variant?: Variant): Tool {
  return {
    name: variant ? `s3zipsync-${variant.name}` : 's3zipsync',
    isS3ZipSync: true,
    note: `syncs the zip; ${variant ? `\`${variant.args.join(' ')}\`` : 'defaults'}`,
    command: (t) => ({
      file: process.execPath,
      args: [CLI_PATH, t.zipPath, '--bucket', t.bucket, '--prefix', t.prefix, '--json', '--no-progress', '--endpoint-url', t.endpoint, '--force-path-style', ...(variant?.args ?? [])],
      env: { ...localCliEnv(), ...(t.credentials ? { AWS_ACCESS_KEY_ID: t.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: t.credentials.secretAccessKey } : {}) },
    }),
    version: { file: process.execPath, args: [CLI_PATH, '--version'] },
  };
}

/** rclone tuned as issue 25 asks: as many transfers and checkers as s3zipsync's concurrency, sizes only, the bucket known to exist. */
function rclone(name: string, fastList: boolean): Tool {
  const flags = ['--size-only', '--transfers', String(CONCURRENCY), '--checkers', String(CONCURRENCY), '--s3-no-check-bucket', ...(fastList ? ['--fast-list'] : [])];
  return {
    name,
    isS3ZipSync: false,
    note: `\`rclone sync <folder> peer:<bucket>/<prefix> ${flags.join(' ')}\`${fastList ? ' (one recursive listing)' : ' (lists each folder, in parallel)'}`,
    command: (t) => ({ file: 'rclone', args: ['sync', t.folder, `peer:${t.bucket}/${t.prefix}`, ...flags], env: rcloneEnv(t) }),
    version: { file: 'rclone', args: ['version'] },
  };
}

export function peerTool(name: (typeof PEER_NAMES)[number]): Tool {
  switch (name) {
    case 'rclone':
      return rclone('rclone', false);
    case 'rclone-fast-list':
      return rclone('rclone-fast-list', true);
    case 'aws':
      return awsCliTool('aws', CONCURRENCY);
  }
}

export const isRclone = (tool: string) => tool === 'rclone' || tool === 'rclone-fast-list';
