import { XMLBuilder } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import type { DeleteObjectError, ListObjectsV2Page } from './transport.js';

// S3's answers are read with a streaming (SAX) parser, keeping only the fields we use: a listing page
// of 1,000 keys parses several times faster than through fast-xml-parser's object tree, and the gap
// between two listing pages is on the critical path of every sync (bench/results/2026-12-01-hot-path.md).
// Values stay strings and are not trimmed: S3 keys may start or end with spaces, or look like numbers.

/**
 * Calls `ended` as each element ends, in document order, with the names from the document element
 * down to it and the text it holds directly (entities decoded; '' for an element that holds only
 * elements). Throws on malformed XML; with `partial`, `xml` may stop anywhere.
 */
function walkXml(xml: string, ended: (path: readonly string[], text: string) => void, options: { partial?: boolean } = {}): void {
  const parser = new SaxesParser();
  const path: string[] = [];
  let text = '';
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    text = '';
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('cdata', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', () => {
    ended(path, text);
    text = '';
    path.pop();
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml);
  // A prefix of a document (the token peek) ends mid-element: not closing it is not an error.
  if (!options.partial) parser.close();
}

/** `<Error><Code>…</Code><Message>…</Message></Error>`, or nothing when the body is not S3's error XML. */
export function parseErrorBody(xml: string): { code?: string; message?: string; requestId?: string; region?: string } {
  if (!xml.includes('<Error')) return {};
  const fields: Record<string, string> = {};
  try {
    walkXml(xml, (path, text) => {
      if (path.length === 2 && path[0] === 'Error' && text) fields[path[1]!] ??= text;
    });
  } catch {
    return {};
  }
  const { Code: code, Message: message, RequestId: requestId, Region: region } = fields;
  return { ...(code ? { code } : {}), ...(message ? { message } : {}), ...(requestId ? { requestId } : {}), ...(region ? { region } : {}) };
}

export function parseListObjectsV2(xml: string): ListObjectsV2Page {
  const page: ListObjectsV2Page = { Contents: [], CommonPrefixes: [], IsTruncated: false };
  let object: { Key?: string; Size?: number; ETag?: string } = {};
  walkXml(xml, (path, text) => {
    if (path[0] !== 'ListBucketResult') return;
    const name = path[path.length - 1];
    if (path.length === 2) {
      if (name === 'Contents') {
        if (object.Key !== undefined) page.Contents.push(object.ETag ? { Key: object.Key, Size: object.Size ?? 0, ETag: object.ETag } : { Key: object.Key, Size: object.Size ?? 0 });
        object = {};
      } else if (name === 'IsTruncated') page.IsTruncated = text === 'true';
      else if (name === 'NextContinuationToken' && text) page.NextContinuationToken = text;
      else if (name === 'KeyCount') page.KeyCount = Number(text);
    } else if (path.length === 3) {
      if (path[1] === 'Contents') {
        if (name === 'Key') object.Key = text;
        else if (name === 'Size') object.Size = Number(text);
        else if (name === 'ETag') object.ETag = text;
      } else if (path[1] === 'CommonPrefixes' && name === 'Prefix') page.CommonPrefixes.push({ Prefix: text });
    }
  });
  return page;
}

/** How much of a listing page is read for its token: AWS S3 and s3rver write it before the first object. */
export const TOKEN_PEEK_CHARS = 4096;

/**
 * The NextContinuationToken of a listing page from its first few KiB, or undefined when it is not
 * there (the last page, or a server that writes it after the objects). Nothing here is trusted
 * beyond asking for the next page early: the whole page is still parsed, and checked against it.
 */
export function peekContinuationToken(xml: string): string | undefined {
  let token: string | undefined;
  try {
    walkXml(xml.slice(0, TOKEN_PEEK_CHARS), (path, text) => {
      if (path.length === 2 && path[0] === 'ListBucketResult' && path[1] === 'NextContinuationToken' && text) token ??= text;
    }, { partial: true });
  } catch {
    return undefined;
  }
  return token;
}

/** Quiet mode: S3 names only the keys it failed to delete. */
export function parseDeleteResult(xml: string): DeleteObjectError[] {
  const errors: DeleteObjectError[] = [];
  let error: Partial<DeleteObjectError> = {};
  walkXml(xml, (path, text) => {
    if (path[0] !== 'DeleteResult' || path[1] !== 'Error') return;
    if (path.length === 2) {
      if (error.Key !== undefined) errors.push({ Key: error.Key, ...(error.Code ? { Code: error.Code } : {}), ...(error.Message ? { Message: error.Message } : {}) });
      error = {};
    } else if (path.length === 3 && (path[2] === 'Key' || path[2] === 'Code' || path[2] === 'Message')) error[path[2]] = text;
  });
  return errors;
}

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

export function deleteRequestBody(keys: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ Delete: { Quiet: 'true', Object: keys.map((Key) => ({ Key })) } }) as string}`;
}
