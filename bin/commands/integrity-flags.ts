import type { Argv } from 'yargs';
import { COMPARE_MODES, S3_CHECKSUM_MODES, type CompareMode, type S3ChecksumMode, type SyncOptions } from '../../src/static-entry.js';

export interface IntegrityFlags {
  compare: CompareMode;
  gzip?: string | string[];
  s3Checksum: S3ChecksumMode;
}

/** `--compare` (and its default spelled as aws-cli does, `--size-only`), `--gzip`, `--s3-checksum`. */
export function withIntegrityFlags<T>(yargs: Argv<T>) {
  return yargs
    .option('compare', { choices: COMPARE_MODES, default: 'size', describe: 'What makes a present object up to date: the same size, or the same size and the zip CRC32 stored with it' })
    // Accepted so an `aws s3 sync --size-only` habit just works; it names what --compare size already does.
    .option('size-only', { type: 'boolean', describe: "aws s3 sync's --size-only: what s3zipsync does by default (--compare size); accepted, changes nothing" })
    // type string, not array: an array option would swallow the zip path that follows it.
    .option('gzip', { type: 'string', describe: 'Store archive paths matching this glob gzip-compressed, with Content-Encoding: gzip (repeatable)' })
    .option('s3-checksum', { choices: S3_CHECKSUM_MODES, default: 'auto', describe: "Send the zip's CRC32 as S3's x-amz-checksum-crc32 on single PutObjects (auto: only to AWS, not to a custom endpoint)" });
}

export function integrityOptionsFrom(flags: IntegrityFlags): Pick<SyncOptions, 'compare' | 'gzip' | 's3Checksum'> {
  const gzip = flags.gzip === undefined ? [] : (Array.isArray(flags.gzip) ? flags.gzip : [flags.gzip]).map(String);
  return { compare: flags.compare, gzip, s3Checksum: flags.s3Checksum };
}
