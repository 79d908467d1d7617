import type { ObjectHeaders } from './object-headers.js';

/** What HeadObject says an object is stored with (the same fields as ObjectHeaders, as S3 answers them). */
export interface StoredHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
  /** User metadata without our own `s3zipsync-*` keys. */
  metadata: Record<string, string>;
  /** Absent means STANDARD: S3 omits the header for it. */
  storageClass?: string;
  sse?: string;
}

/**
 * The headers (by their HTTP names) whose stored value differs from the wanted one; empty when the
 * object already holds what the options say. A header the options do not set but the object has
 * (a Cache-Control from an earlier run) differs too: a rewrite makes the object hold exactly the
 * options. Storage class and encryption count only when asked for, since otherwise the bucket's
 * defaults decide them. Not compared: the KMS key (HeadObject answers an ARN where an alias may
 * have been given) and the ACL (HeadObject does not show it).
 */
export function headerDifferences(wanted: ObjectHeaders, stored: StoredHeaders): string[] {
  const changed: string[] = [];
  const text = (value: string | undefined) => value?.trim() ?? '';
  const compare = (name: string, want: string | undefined, have: string | undefined) => {
    if (text(want) !== text(have)) changed.push(name);
  };
  compare('Content-Type', wanted.contentType, stored.contentType);
  compare('Cache-Control', wanted.cacheControl, stored.cacheControl);
  compare('Content-Disposition', wanted.contentDisposition, stored.contentDisposition);
  compare('Content-Language', wanted.contentLanguage, stored.contentLanguage);
  if (dateValue(wanted.expires) !== dateValue(stored.expires)) changed.push('Expires');
  if (!sameRecord(wanted.metadata, stored.metadata)) changed.push('x-amz-meta-*');
  if (wanted.storageClass !== undefined && wanted.storageClass !== (stored.storageClass ?? 'STANDARD')) changed.push('x-amz-storage-class');
  if (wanted.sse !== undefined && wanted.sse !== stored.sse) changed.push('x-amz-server-side-encryption');
  return changed;
}

function dateValue(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
