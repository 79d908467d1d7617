import type { Argv } from 'yargs';
import { SSE_MODES, parseContentTypeRule, parseHeaderRule, parseMetadataPairs, type SseMode, type SyncOptions } from '../../src/static-entry.js';

export interface ObjectFlags {
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
  contentType?: string;
  contentTypeFor?: string | string[];
  metadata?: string | string[];
  headerFor?: string | string[];
  storageClass?: string;
  sse?: SseMode;
  sseKmsKeyId?: string;
  acl?: string;
  compareHeaders: boolean;
}

/** What objects are stored with: Cache-Control & co., per-pattern headers, user metadata, storage class, encryption, ACL. */
export function withObjectFlags<T>(yargs: Argv<T>) {
  return (
    yargs
      .option('cache-control', { type: 'string', describe: 'Cache-Control of every object, e.g. "max-age=300"' })
      .option('content-disposition', { type: 'string', describe: 'Content-Disposition of every object' })
      .option('content-language', { type: 'string', describe: 'Content-Language of every object' })
      .option('expires', { type: 'string', describe: 'Expires of every object: an ISO 8601 or HTTP date' })
      .option('content-type', { type: 'string', describe: 'Content-Type of every object, instead of the one guessed from its extension' })
      // type string, not array: an array option would swallow the zip path that follows it.
      .option('content-type-for', { type: 'string', describe: 'GLOB=TYPE: Content-Type of the archive paths matching GLOB (repeatable, last match wins)' })
      .option('metadata', { type: 'string', describe: 'key=value user metadata (x-amz-meta-key) on every object (repeatable; s3zipsync-* keys are reserved)' })
      .option('header-for', { type: 'string', describe: "'GLOB:Header: value' on the archive paths matching GLOB, e.g. '*.html:Cache-Control: no-cache' (repeatable, in order, last match wins; after every other header flag)" })
      // Storage classes and ACLs are checked by the library against the SDK's lists, which --help must not load.
      .option('storage-class', { type: 'string', describe: "Storage class of uploaded objects: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, … (default: the bucket's, STANDARD)" })
      .option('sse', { choices: SSE_MODES, describe: 'Server-side encryption of uploaded objects (default: the bucket\'s default encryption)' })
      .option('sse-kms-key-id', { type: 'string', describe: 'With --sse aws:kms: the KMS key id, ARN or alias (default: the AWS-managed key)' })
      .option('acl', { type: 'string', describe: 'Canned ACL of uploaded objects: private, public-read, bucket-owner-full-control, … (none sent by default: most buckets disable ACLs)' })
      .option('compare-headers', { type: 'boolean', default: false, describe: 'Also compare the stored headers of same-size objects (HeadObject each) and rewrite those that differ in place (CopyObject, bytes not sent again)' })
  );
}

export function objectOptionsFrom(flags: ObjectFlags): Partial<SyncOptions> {
  const options: Partial<SyncOptions> = { compareHeaders: flags.compareHeaders };
  const single = {
    cacheControl: flags.cacheControl,
    contentDisposition: flags.contentDisposition,
    contentLanguage: flags.contentLanguage,
    expires: flags.expires,
    contentType: flags.contentType,
    storageClass: flags.storageClass,
    sse: flags.sse,
    sseKmsKeyId: flags.sseKmsKeyId,
    acl: flags.acl,
  };
  for (const [field, value] of Object.entries(single)) if (value !== undefined) (options as Record<string, unknown>)[field] = String(value);
  const contentTypeFor = asList(flags.contentTypeFor).map((text) => parseContentTypeRule(text, '--content-type-for'));
  if (contentTypeFor.length) options.contentTypeFor = contentTypeFor;
  const headerFor = asList(flags.headerFor).map((text) => parseHeaderRule(text, '--header-for'));
  if (headerFor.length) options.headerFor = headerFor;
  const metadata = asList(flags.metadata);
  if (metadata.length) options.metadata = parseMetadataPairs(metadata, '--metadata');
  return options;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
