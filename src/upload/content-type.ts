import mime from 'mime-types';

/** Content-Type from the entry's extension; S3's own default for anything unknown. */
export function contentTypeFor(name: string): string {
  return mime.lookup(name) || 'application/octet-stream';
}
