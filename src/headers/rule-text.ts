import { S3ZipSyncError } from '../errors.js';
import type { ContentTypeRule, HeaderRule } from './object-headers.js';

/*
 * The one-string forms of header options that a command line and an environment variable share.
 * `what` names where the text came from (a flag, a variable), so the message points there.
 */

/** `GLOB:Header: value`, e.g. `assets/**:Cache-Control: max-age=31536000, immutable`. The glob cannot hold a `:`. */
export function parseHeaderRule(text: string, what: string): HeaderRule {
  const match = /^([^:]+):([^:]+):(.*)$/s.exec(text);
  if (!match) throw invalid(`${what} wants GLOB:Header: value (e.g. '*.html:Cache-Control: no-cache'), got ${JSON.stringify(text)}`);
  return { pattern: match[1]!.trim(), header: match[2]!.trim(), value: match[3]!.trim() };
}

/** `GLOB=TYPE`, e.g. `*.wasm=application/wasm`. */
export function parseContentTypeRule(text: string, what: string): ContentTypeRule {
  const [pattern, contentType] = splitOnce(text, '=', what, 'GLOB=TYPE (e.g. *.wasm=application/wasm)');
  return { pattern, contentType };
}

/** `key=value` pairs into one record; a key given twice is refused rather than silently dropped. */
export function parseMetadataPairs(texts: readonly string[], what: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const text of texts) {
    const [key, value] = splitOnce(text, '=', what, 'key=value (e.g. build=42)');
    if (Object.hasOwn(metadata, key.toLowerCase())) throw invalid(`${what}: key ${JSON.stringify(key)} is given twice`);
    metadata[key.toLowerCase()] = value;
  }
  return metadata;
}

function splitOnce(text: string, separator: string, what: string, form: string): [string, string] {
  const at = text.indexOf(separator);
  const left = at < 0 ? '' : text.slice(0, at).trim();
  if (!left) throw invalid(`${what} wants ${form}, got ${JSON.stringify(text)}`);
  return [left, text.slice(at + 1).trim()];
}

function invalid(message: string): S3ZipSyncError {
  return new S3ZipSyncError('INVALID_OPTION', message);
}
