import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { DeleteObjectError, ListObjectsV2Page } from './transport.js';

// Values stay strings (a key `0123` or `true` must not become a number or boolean), and are not
// trimmed: S3 keys may start or end with spaces.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  isArray: (name) => name === 'Contents' || name === 'CommonPrefixes' || name === 'Error' || name === 'Deleted',
});

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

type XmlObject = Record<string, unknown>;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) return String((value as XmlObject)['#text']);
  return value === undefined ? undefined : '';
}

/** `<Error><Code>…</Code><Message>…</Message></Error>`, or nothing when the body is not S3's error XML. */
export function parseErrorBody(xml: string): { code?: string; message?: string; requestId?: string; region?: string } {
  if (!xml.includes('<Error')) return {};
  try {
    const error = (parser.parse(xml) as { Error?: XmlObject[] }).Error?.[0];
    if (!error) return {};
    const code = text(error.Code);
    const message = text(error.Message);
    const requestId = text(error.RequestId);
    const region = text(error.Region);
    return { ...(code ? { code } : {}), ...(message ? { message } : {}), ...(requestId ? { requestId } : {}), ...(region ? { region } : {}) };
  } catch {
    return {};
  }
}

export function parseListObjectsV2(xml: string): ListObjectsV2Page {
  const result = ((parser.parse(xml) as { ListBucketResult?: XmlObject }).ListBucketResult ?? {}) as XmlObject;
  const contents = ((result.Contents as XmlObject[] | undefined) ?? []).flatMap((object) => {
    const key = text(object.Key);
    if (key === undefined) return [];
    const etag = text(object.ETag);
    return [{ Key: key, Size: Number(text(object.Size) ?? 0), ...(etag ? { ETag: etag } : {}) }];
  });
  const commonPrefixes = ((result.CommonPrefixes as XmlObject[] | undefined) ?? []).flatMap((entry) => {
    const prefix = text(entry.Prefix);
    return prefix === undefined ? [] : [{ Prefix: prefix }];
  });
  const token = text(result.NextContinuationToken);
  const keyCount = text(result.KeyCount);
  return {
    Contents: contents,
    CommonPrefixes: commonPrefixes,
    IsTruncated: text(result.IsTruncated) === 'true',
    ...(token ? { NextContinuationToken: token } : {}),
    ...(keyCount !== undefined ? { KeyCount: Number(keyCount) } : {}),
  };
}

/** Quiet mode: S3 names only the keys it failed to delete. */
export function parseDeleteResult(xml: string): DeleteObjectError[] {
  const result = ((parser.parse(xml) as { DeleteResult?: XmlObject }).DeleteResult ?? {}) as XmlObject;
  return ((result.Error as XmlObject[] | undefined) ?? []).flatMap((error) => {
    const key = text(error.Key);
    if (key === undefined) return [];
    const code = text(error.Code);
    const message = text(error.Message);
    return [{ Key: key, ...(code ? { Code: code } : {}), ...(message ? { Message: message } : {}) }];
  });
}

export function deleteRequestBody(keys: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ Delete: { Quiet: 'true', Object: keys.map((Key) => ({ Key })) } }) as string}`;
}
