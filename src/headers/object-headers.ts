// The SDK's own lists of S3's values, from its models file alone: the package index is the whole client.
import { ObjectCannedACL, StorageClass } from '@aws-sdk/client-s3/dist-es/models/enums.js';
import { S3ZipSyncError } from '../errors.js';
import { compileGlob } from '../filter/entry-filter.js';

/** One per-pattern header: on entries matching `pattern` (a glob, as the filters read it), store `header: value`. */
export interface HeaderRule {
  pattern: string;
  header: string;
  value: string;
}

/** One per-pattern Content-Type. */
export interface ContentTypeRule {
  pattern: string;
  contentType: string;
}

import { RESERVED_METADATA_PREFIX, SSE_MODES, type SseMode } from './header-choices.js';

export { RESERVED_METADATA_PREFIX, SSE_MODES, type SseMode };
/** From the SDK, so a class or ACL S3 adds is accepted without a change here. */
export const STORAGE_CLASSES: readonly string[] = Object.values(StorageClass);
export const CANNED_ACLS: readonly string[] = Object.values(ObjectCannedACL);

/** Headers a `headerFor` rule may set; user metadata as `x-amz-meta-<key>`. Content-Encoding belongs to `gzip`. */
export const RULE_HEADERS = ['Cache-Control', 'Content-Type', 'Content-Disposition', 'Content-Language', 'Expires', 'x-amz-storage-class', 'x-amz-meta-<key>'] as const;


export interface ObjectHeaderOptions {
  /** `Cache-Control` of every object (e.g. `max-age=300`); `headerFor` can override it per pattern. */
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  /** `Expires`: an HTTP date or anything `Date.parse` reads (ISO 8601), or a Date. */
  expires?: string | Date;
  /** Content-Type of every object, instead of the one guessed from the extension. */
  contentType?: string;
  /** Per-pattern Content-Type, in order, last match wins; after `contentType`, before `headerFor`. */
  contentTypeFor?: readonly ContentTypeRule[];
  /** User metadata on every object (`x-amz-meta-*`). Keys starting with `s3zipsync-` are ours: refused. */
  metadata?: Readonly<Record<string, string>>;
  /** Per-pattern headers, in order, last match wins; applied after every other header option. */
  headerFor?: readonly HeaderRule[];
  /** `STANDARD`, `STANDARD_IA`, `INTELLIGENT_TIERING`, `GLACIER_IR`, … Default: the bucket's (STANDARD). */
  storageClass?: string;
  /** Server-side encryption. Default: the bucket's default encryption. */
  sse?: SseMode;
  /** With `sse: 'aws:kms'`: the key (id, ARN or alias). Default: the AWS-managed key. */
  sseKmsKeyId?: string;
  /** A canned ACL (`public-read`, `bucket-owner-full-control`, …). Default: none sent (most buckets disable ACLs). */
  acl?: string;
  /**
   * Also compare the stored headers of each same-size object (one HeadObject per candidate) and
   * rewrite an object whose headers differ with CopyObject, without sending its bytes again.
   */
  compareHeaders?: boolean;
}

/**
 * What one object is stored with besides its bytes. Plain strings, so any transport (the SDK
 * commands, a signed request of our own) maps them to its headers.
 */
export interface ObjectHeaders {
  contentType: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  /** An HTTP date (`Thu, 01 Jan 2026 00:00:00 GMT`), as sent. */
  expires?: string;
  /** User metadata, keys in lower case (as S3 stores them), without our own `s3zipsync-*` keys. */
  metadata: Record<string, string>;
  storageClass?: string;
  sse?: SseMode;
  sseKmsKeyId?: string;
  acl?: string;
}

/** The headers of an upload request beyond Content-Type and the user metadata, which it carries as fields of their own. */
export type StorageHeaders = Omit<ObjectHeaders, 'contentType' | 'metadata'>;

export interface HeaderPlan {
  readonly compareHeaders: boolean;
  /** Asked only for entries about to be written or compared by headers: no-change entries need none. */
  headersFor(entryName: string): Promise<ObjectHeaders>;
}

// The table of media types (mime-db, 150 KB) is loaded on the first upload that needs a guess, not
// at start: a no-change run never needs it, and the CLI bundle keeps it in a chunk of its own.
let contentTypes: Promise<typeof import('../upload/content-type.js')> | undefined;
async function guessContentType(entryName: string): Promise<string> {
  contentTypes ??= import('../upload/content-type.js');
  return (await contentTypes).contentTypeFor(entryName);
}

type Field = Exclude<keyof ObjectHeaders, 'metadata'>;
interface CompiledRule {
  matches: (name: string) => boolean;
  apply: (headers: ObjectHeaders) => void;
}

/** Checks and compiles the options once (INVALID_OPTION naming the field); answers per entry name. */
export function compileObjectHeaders(options: ObjectHeaderOptions): HeaderPlan {
  const base: Omit<ObjectHeaders, 'contentType'> = { metadata: {} };
  const set = (field: Exclude<Field, 'contentType'>, value: string | undefined) => {
    if (value !== undefined) base[field] = headerValue(value, field, field) as never;
  };
  set('cacheControl', options.cacheControl);
  set('contentDisposition', options.contentDisposition);
  set('contentLanguage', options.contentLanguage);
  if (options.expires !== undefined) base.expires = httpDate(options.expires, '`expires`', 'expires');
  for (const [key, value] of Object.entries(options.metadata ?? {})) base.metadata[metadataKey(key, '`metadata`', 'metadata')] = headerValue(value, `\`metadata\` ${key}`, 'metadata');
  if (options.storageClass !== undefined) base.storageClass = oneOf(options.storageClass, STORAGE_CLASSES, '`storageClass`', 'storageClass');
  if (options.sse !== undefined) base.sse = oneOf(options.sse, SSE_MODES, '`sse`', 'sse') as SseMode;
  if (options.sseKmsKeyId !== undefined) {
    if (base.sse !== 'aws:kms') throw invalid(`\`sseKmsKeyId\` needs \`sse\` "aws:kms", got ${JSON.stringify(options.sse ?? null)}`, ['sseKmsKeyId', 'sse']);
    base.sseKmsKeyId = headerValue(options.sseKmsKeyId, 'sseKmsKeyId', 'sseKmsKeyId');
  }
  if (options.acl !== undefined) base.acl = oneOf(options.acl, CANNED_ACLS, '`acl`', 'acl');
  const contentType = options.contentType === undefined ? undefined : headerValue(options.contentType, 'contentType', 'contentType');

  const rules: CompiledRule[] = [
    ...(options.contentTypeFor ?? []).map((rule) => {
      const value = headerValue(rule.contentType, `\`contentTypeFor\` rule ${rule.pattern}`, 'contentTypeFor');
      return { matches: compileGlob(rule.pattern, '`contentTypeFor`'), apply: (headers: ObjectHeaders) => { headers.contentType = value; } };
    }),
    ...(options.headerFor ?? []).map(compileHeaderRule),
  ];
  return {
    compareHeaders: options.compareHeaders ?? false,
    async headersFor(entryName) {
      const headers: ObjectHeaders = { ...base, metadata: { ...base.metadata }, contentType: contentType ?? (await guessContentType(entryName)) };
      for (const rule of rules) if (rule.matches(entryName)) rule.apply(headers);
      return headers;
    },
  };
}

function compileHeaderRule(rule: HeaderRule): CompiledRule {
  const label = `\`headerFor\` rule ${rule.pattern}:${rule.header}`;
  const matches = compileGlob(rule.pattern, '`headerFor`');
  const name = rule.header.trim().toLowerCase();
  const value = headerValue(rule.value, label, 'headerFor');
  const field = RULE_FIELDS[name];
  if (field === 'expires') {
    const date = httpDate(value, label, 'headerFor');
    return { matches, apply: (headers) => { headers.expires = date; } };
  }
  if (field === 'storageClass') {
    const storageClass = oneOf(value, STORAGE_CLASSES, label, 'headerFor');
    return { matches, apply: (headers) => { headers.storageClass = storageClass; } };
  }
  if (field) return { matches, apply: (headers) => { headers[field] = value; } };
  if (name.startsWith('x-amz-meta-')) {
    const key = metadataKey(name.slice('x-amz-meta-'.length), label, 'headerFor');
    return { matches, apply: (headers) => { headers.metadata[key] = value; } };
  }
  throw invalid(`${label}: header ${JSON.stringify(rule.header)} cannot be set per pattern; supported: ${RULE_HEADERS.join(', ')}`, 'headerFor');
}

const RULE_FIELDS: Record<string, 'cacheControl' | 'contentType' | 'contentDisposition' | 'contentLanguage' | 'expires' | 'storageClass'> = {
  'cache-control': 'cacheControl',
  'content-type': 'contentType',
  'content-disposition': 'contentDisposition',
  'content-language': 'contentLanguage',
  expires: 'expires',
  'x-amz-storage-class': 'storageClass',
};

/** An HTTP header value: one line of printable ASCII (S3 refuses others in headers; the SDK would send them mangled). */
function headerValue(value: string, what: string, option: string): string {
  const named = what === option ? `\`${what}\`` : what;
  if (typeof value !== 'string') throw invalid(`${named} must be a string, got ${JSON.stringify(value)}`, option);
  const trimmed = value.trim();
  if (!/^[\x20-\x7e]*$/.test(trimmed)) throw invalid(`${named} must be printable ASCII on one line, got ${JSON.stringify(value)}`, option);
  return trimmed;
}

/** User-metadata keys: an HTTP token, stored in lower case by S3; `s3zipsync-*` stays ours. */
function metadataKey(key: string, what: string, option: string): string {
  const lower = key.trim().toLowerCase();
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(lower)) throw invalid(`${what}: metadata key ${JSON.stringify(key)} must be letters, digits or -_.`, option);
  if (lower.startsWith(RESERVED_METADATA_PREFIX)) throw invalid(`${what}: metadata key ${JSON.stringify(key)} is reserved (s3zipsync stores its own ${RESERVED_METADATA_PREFIX}* keys)`, option);
  return lower;
}

function httpDate(value: string | Date, what: string, option: string): string {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw invalid(`${what} must be a date (e.g. 2026-12-31T00:00:00Z or an HTTP date), got ${JSON.stringify(String(value))}`, option);
  return new Date(time).toUTCString();
}

function oneOf(value: string, allowed: readonly string[], what: string, option: string): string {
  if (!allowed.includes(value)) throw invalid(`${what} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, option);
  return value;
}

function invalid(message: string, option: string | readonly string[]): S3ZipSyncError {
  return new S3ZipSyncError('INVALID_OPTION', message, { option });
}
