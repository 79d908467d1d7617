import { S3ZipSyncError } from '../errors.js';
import { validateShard, type Shard } from '../shard.js';

/** One archive to sync, found in an event. */
export interface ArchiveJob {
  bucket: string;
  key: string;
  shard?: Shard;
  /** The SQS message it came in, so a failed archive can be handed back for redelivery. */
  messageId?: string;
}

/** Something in the event that is not an archive to sync, and why: logged, never silently dropped. */
export interface SkippedRecord {
  reason: string;
  bucket?: string;
  key?: string;
  messageId?: string;
}

export interface ParsedEvent {
  jobs: ArchiveJob[];
  skipped: SkippedRecord[];
}

/**
 * What to sync, from any of the events the handler is wired to:
 * - an S3 event notification (`{ Records: [{ eventSource: 'aws:s3', … }] }`), directly, through SNS, or
 *   in the body of SQS records (possibly inside an SNS envelope);
 * - an EventBridge `Object Created` event from `aws.s3`, directly or in the body of SQS records;
 * - a direct invocation `{ bucket, key, shard? }` (Step Functions, tests, `aws lambda invoke`).
 *
 * S3 event notifications URL-encode keys (`+` for a space); EventBridge events carry them as they are.
 * Keys not ending in `.zip` (any case) are skipped with a reason. Anything unrecognisable throws: a
 * mis-wired trigger must be loud.
 */
export function parseEvent(event: unknown): ParsedEvent {
  const parsed: ParsedEvent = { jobs: [], skipped: [] };
  collect(event, parsed, undefined);
  return parsed;
}

function collect(event: unknown, out: ParsedEvent, messageId: string | undefined): void {
  if (!isObject(event)) throw invalid(`expected an object, got ${typeof event}`);
  if (Array.isArray(event.Records)) {
    for (const record of event.Records) collectRecord(record, out, messageId);
    return;
  }
  if (event.source === 'aws.s3') {
    collectEventBridge(event, out, messageId);
    return;
  }
  // SNS → SQS without raw message delivery: the SQS body is the SNS envelope.
  if (event.Type === 'Notification' && typeof event.Message === 'string') {
    collect(parseJson(event.Message, 'sns message'), out, messageId);
    return;
  }
  if (event.Event === 's3:TestEvent') {
    out.skipped.push({ reason: 's3 test event', ...(messageId ? { messageId } : {}) });
    return;
  }
  if (typeof event.bucket === 'string' && typeof event.key === 'string') {
    const shard = event.shard === undefined ? undefined : readShard(event.shard);
    addJob(out, { bucket: event.bucket, key: event.key, ...(shard ? { shard } : {}), ...(messageId ? { messageId } : {}) });
    return;
  }
  throw invalid('not an s3, sqs or eventbridge event, nor { bucket, key }');
}

function collectRecord(record: unknown, out: ParsedEvent, messageId: string | undefined): void {
  if (!isObject(record)) throw invalid('a record is not an object');
  if (record.eventSource === 'aws:sqs') {
    const id = typeof record.messageId === 'string' ? record.messageId : undefined;
    // Redelivering a message we cannot read would fail the same way: skip it, logged, and keep the batch.
    try {
      collect(parseJson(record.body, 'sqs message body'), out, id);
      return;
    } catch (error) {
      if (!(error instanceof S3ZipSyncError)) throw error;
      out.skipped.push({ reason: error.message, ...(id ? { messageId: id } : {}) });
      return;
    }
  }
  if (record.EventSource === 'aws:sns' && isObject(record.Sns)) {
    collect(parseJson(record.Sns.Message, 'sns message'), out, messageId);
    return;
  }
  if (record.eventSource === 'aws:s3' || isObject(record.s3)) {
    const s3 = isObject(record.s3) ? record.s3 : {};
    const bucket = isObject(s3.bucket) ? s3.bucket.name : undefined;
    const rawKey = isObject(s3.object) ? s3.object.key : undefined;
    if (typeof bucket !== 'string' || typeof rawKey !== 'string') throw invalid('an s3 record without bucket name or object key');
    const key = decodeS3EventKey(rawKey);
    const eventName = typeof record.eventName === 'string' ? record.eventName : '';
    if (!eventName.startsWith('ObjectCreated:')) {
      out.skipped.push({ reason: `not an ObjectCreated event: ${eventName || 'no eventName'}`, bucket, key, ...(messageId ? { messageId } : {}) });
      return;
    }
    addJob(out, { bucket, key, ...(messageId ? { messageId } : {}) });
    return;
  }
  throw invalid(`unsupported record source ${JSON.stringify(record.eventSource ?? record.EventSource ?? null)}`);
}

function collectEventBridge(event: Record<string, unknown>, out: ParsedEvent, messageId: string | undefined): void {
  const detail = isObject(event.detail) ? event.detail : {};
  const bucket = isObject(detail.bucket) ? detail.bucket.name : undefined;
  const key = isObject(detail.object) ? detail.object.key : undefined;
  if (typeof bucket !== 'string' || typeof key !== 'string') throw invalid('an eventbridge s3 event without bucket name or object key');
  if (event['detail-type'] !== 'Object Created') {
    out.skipped.push({ reason: `not an Object Created event: ${String(event['detail-type'])}`, bucket, key, ...(messageId ? { messageId } : {}) });
    return;
  }
  addJob(out, { bucket, key, ...(messageId ? { messageId } : {}) });
}

function addJob(out: ParsedEvent, job: ArchiveJob): void {
  if (!/\.zip$/i.test(job.key)) {
    out.skipped.push({ reason: 'not a .zip key', bucket: job.bucket, key: job.key, ...(job.messageId ? { messageId: job.messageId } : {}) });
    return;
  }
  out.jobs.push(job);
}

/** S3 event notifications encode keys like a URL query value: `+` is a space, `%2B` a plus. */
export function decodeS3EventKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    throw invalid(`object key is not valid url encoding: ${JSON.stringify(key)}`);
  }
}

/** `{ index, count }`, and `directory` when a plan gave the shard its part of the central directory. */
function readShard(value: unknown): Shard {
  if (!isObject(value) || typeof value.index !== 'number' || typeof value.count !== 'number') {
    throw invalid(`shard must be { index, count, directory? }, got ${JSON.stringify(value)}`);
  }
  const shard: Shard = { index: value.index, count: value.count };
  if (value.directory !== undefined) {
    const directory = isObject(value.directory) ? value.directory : {};
    shard.directory = { offset: directory.offset, size: directory.size, entries: directory.entries, etag: directory.etag } as NonNullable<Shard['directory']>;
  }
  validateShard(shard);
  return shard;
}

function parseJson(text: unknown, what: string): unknown {
  if (typeof text !== 'string') throw invalid(`${what} is not a string`);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`${what} is not json`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function invalid(reason: string): S3ZipSyncError {
  return new S3ZipSyncError('INVALID_OPTION', `unrecognised lambda event: ${reason}`);
}
