import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3ZipSyncError } from '../../src/errors.js';
import { decodeS3EventKey, parseEvent } from '../../src/lambda/events.js';

function s3Record(key: string, eventName = 'ObjectCreated:Put', bucket = 'incoming') {
  return { eventVersion: '2.1', eventSource: 'aws:s3', eventName, s3: { bucket: { name: bucket }, object: { key, size: 10 } } };
}

function eventBridge(key: string, detailType = 'Object Created') {
  return { version: '0', source: 'aws.s3', 'detail-type': detailType, detail: { bucket: { name: 'incoming' }, object: { key, size: 10 } } };
}

function sqs(messageId: string, body: unknown) {
  return { messageId, eventSource: 'aws:sqs', body: typeof body === 'string' ? body : JSON.stringify(body) };
}

describe('parseEvent', () => {
  it('an S3 event notification: keys URL-decoded, + is a space', () => {
    const parsed = parseEvent({ Records: [s3Record('incoming/build+42%2Bfinal%28v2%29.zip'), s3Record('a.ZIP')] });
    assert.deepEqual(parsed.jobs, [
      { bucket: 'incoming', key: 'incoming/build 42+final(v2).zip' },
      { bucket: 'incoming', key: 'a.ZIP' },
    ]);
    assert.deepEqual(parsed.skipped, []);
  });

  it('skips non-.zip keys and non-ObjectCreated events, with a reason each', () => {
    const parsed = parseEvent({ Records: [s3Record('notes.txt'), s3Record('x.zip', 'ObjectRemoved:Delete'), s3Record('x.zip.part')] });
    assert.deepEqual(parsed.jobs, []);
    assert.deepEqual(parsed.skipped, [
      { reason: 'not a .zip key', bucket: 'incoming', key: 'notes.txt' },
      { reason: 'not an ObjectCreated event: ObjectRemoved:Delete', bucket: 'incoming', key: 'x.zip' },
      { reason: 'not a .zip key', bucket: 'incoming', key: 'x.zip.part' },
    ]);
  });

  it('S3 events wrapped in SQS records keep their message id; an s3:TestEvent is skipped', () => {
    const parsed = parseEvent({
      Records: [
        sqs('m1', { Records: [s3Record('one.zip'), s3Record('two.zip')] }),
        sqs('m2', { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'incoming' }),
      ],
    });
    assert.deepEqual(parsed.jobs, [
      { bucket: 'incoming', key: 'one.zip', messageId: 'm1' },
      { bucket: 'incoming', key: 'two.zip', messageId: 'm1' },
    ]);
    assert.deepEqual(parsed.skipped, [{ reason: 's3 test event', messageId: 'm2' }]);
  });

  it('an unreadable SQS message is skipped with its reason, the rest of the batch goes on', () => {
    const parsed = parseEvent({ Records: [sqs('bad', 'not json'), sqs('good', { Records: [s3Record('g.zip')] })] });
    assert.deepEqual(parsed.jobs, [{ bucket: 'incoming', key: 'g.zip', messageId: 'good' }]);
    assert.deepEqual(parsed.skipped, [{ reason: 'unrecognised lambda event: sqs message body is not json', messageId: 'bad' }]);
  });

  it('S3 events through SNS (and SNS through SQS)', () => {
    const sns = { EventSource: 'aws:sns', Sns: { Message: JSON.stringify({ Records: [s3Record('via%20sns.zip')] }) } };
    assert.deepEqual(parseEvent({ Records: [sns] }).jobs, [{ bucket: 'incoming', key: 'via sns.zip' }]);
    const envelope = { Type: 'Notification', MessageId: 'n1', Message: JSON.stringify({ Records: [s3Record('sns-sqs.zip')] }) };
    assert.deepEqual(parseEvent({ Records: [sqs('m4', envelope)] }).jobs, [{ bucket: 'incoming', key: 'sns-sqs.zip', messageId: 'm4' }]);
  });

  it('EventBridge Object Created: the key is taken as it is (EventBridge does not URL-encode)', () => {
    assert.deepEqual(parseEvent(eventBridge('a+b c.zip')).jobs, [{ bucket: 'incoming', key: 'a+b c.zip' }]);
    assert.deepEqual(parseEvent({ Records: [sqs('m3', eventBridge('q.zip'))] }).jobs, [{ bucket: 'incoming', key: 'q.zip', messageId: 'm3' }]);
    assert.deepEqual(parseEvent(eventBridge('q.zip', 'Object Deleted')).skipped, [
      { reason: 'not an Object Created event: Object Deleted', bucket: 'incoming', key: 'q.zip' },
    ]);
  });

  it('a direct invocation with a shard (Step Functions)', () => {
    assert.deepEqual(parseEvent({ bucket: 'b', key: 'k.zip', shard: { index: 1, count: 4 } }).jobs, [
      { bucket: 'b', key: 'k.zip', shard: { index: 1, count: 4 } },
    ]);
  });

  it("a shard with its part of the central directory (the plan's)", () => {
    const directory = { offset: 100, size: 460, entries: 10, etag: '"e"' };
    assert.deepEqual(parseEvent({ bucket: 'b', key: 'k.zip', shard: { index: 1, count: 4, directory, ignored: 1 } }).jobs, [
      { bucket: 'b', key: 'k.zip', shard: { index: 1, count: 4, directory } },
    ]);
  });

  for (const [label, event, message] of [
    ['a string', 'hello', 'unrecognised lambda event: expected an object, got string'],
    ['an unknown shape', { foo: 1 }, 'unrecognised lambda event: not an s3, sqs or eventbridge event, nor { bucket, key }'],
    ['an unknown record', { Records: [{ eventSource: 'aws:kinesis' }] }, 'unrecognised lambda event: unsupported record source "aws:kinesis"'],
    ['a bad shard', { bucket: 'b', key: 'k.zip', shard: { index: 4, count: 4 } }, 'shard index must be an integer from 0 to 3, got 4'],
    [
      'a bad directory part',
      { bucket: 'b', key: 'k.zip', shard: { index: 0, count: 2, directory: { offset: -1, size: 4, entries: 1 } } },
      'a shard\'s directory is { offset, size, entries, etag }, non-negative integers and an etag, got {"offset":-1,"size":4,"entries":1}',
    ],
    ['bad url encoding', { Records: [s3Record('%E0%A4%A.zip')] }, 'unrecognised lambda event: object key is not valid url encoding: "%E0%A4%A.zip"'],
  ] as const) {
    it(`refuses ${label} with one line`, () => {
      assert.throws(() => parseEvent(event), (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && error.message === message);
    });
  }

  it('decodeS3EventKey', () => {
    assert.equal(decodeS3EventKey('a%2Fb+c%2B%3D.zip'), 'a/b c+=.zip');
  });
});
