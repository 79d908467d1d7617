import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../src/decide.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { conditionalWrites, writeConditionally } from '../../src/upload/conditional-write.js';
import { isConditionalRequestConflict, isPreconditionFailedAnswer, preconditionFor, sdkPreconditionFields, type WritePrecondition } from '../../src/upload/precondition.js';

const remote = { size: 10, etag: '"abc"' };

describe('preconditionFor', () => {
  it('a new key is written only while it is still absent', () => {
    assert.deepEqual(preconditionFor(decide({ size: 10 }, null), null, true), { ifNoneMatch: '*' });
  });

  it('an update is written only over the version the check saw, quoted as S3 sends it', () => {
    const decision = decide({ size: 12 }, remote);
    assert.equal(decision.action, 'updated');
    assert.deepEqual(preconditionFor(decision, remote, true), { ifMatch: '"abc"' });
    assert.deepEqual(preconditionFor(decision, { size: 10, etag: 'abc' }, true), { ifMatch: '"abc"' });
  });

  it('sends the bare ETag once the run learned the server compares that (radosgw 16.2)', () => {
    assert.deepEqual(preconditionFor(decide({ size: 12 }, remote), remote, true, 'unquoted'), { ifMatch: 'abc' });
  });

  it('no condition when turned off, for an ignored entry, or for an update without an ETag', () => {
    assert.equal(preconditionFor(decide({ size: 10 }, null), null, false), undefined);
    assert.equal(preconditionFor(decide({ size: 12 }, remote), remote, false), undefined);
    assert.equal(preconditionFor(decide({ size: 10 }, remote), remote, true), undefined);
    assert.equal(preconditionFor(decide({ size: 12 }, { size: 10 }), { size: 10 }, true), undefined);
  });

  it('maps to the SDK fields of PutObject and CompleteMultipartUpload', () => {
    assert.deepEqual(sdkPreconditionFields({ ifNoneMatch: '*' }), { IfNoneMatch: '*' });
    assert.deepEqual(sdkPreconditionFields({ ifMatch: '"e"' }), { IfMatch: '"e"' });
    assert.deepEqual(sdkPreconditionFields(undefined), {});
  });

  it('knows AWS\'s 409 ConditionalRequestConflict (another conditional write under way), and only that 409', () => {
    assert.equal(isConditionalRequestConflict({ name: 'ConditionalRequestConflict', $metadata: { httpStatusCode: 409 } }), true);
    assert.equal(isConditionalRequestConflict({ name: 'OperationAborted', $metadata: { httpStatusCode: 409 } }), false);
    assert.equal(isConditionalRequestConflict(null), false);
  });

  it('knows a 412 from either request path', () => {
    assert.equal(isPreconditionFailedAnswer({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } }), true);
    assert.equal(isPreconditionFailedAnswer({ name: 'Unknown', $metadata: { httpStatusCode: 412 } }), true);
    assert.equal(isPreconditionFailedAnswer({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }), false);
    assert.equal(isPreconditionFailedAnswer(undefined), false);
  });
});

describe('writeConditionally', () => {
  const conflict = () => new S3ZipSyncError('CONFLICT', 'k was changed by someone else');
  const updated = decide({ size: 12 }, remote);

  it('an update whose check gave no ETag asks for the key\'s ETag and writes over that version only; gone meanwhile, only while absent; off, no HEAD', async () => {
    const noEtag = { size: 10 };
    const decision = decide({ size: 12 }, noEtag);
    const run = async (enabled: boolean, now: string | undefined) => {
      const sent: (WritePrecondition | undefined)[] = [];
      let heads = 0;
      await writeConditionally({
        decision,
        remote: noEtag,
        writes: conditionalWrites(enabled),
        send: async (precondition) => void sent.push(precondition),
        currentEtag: async () => {
          heads++;
          return now;
        },
      });
      return { sent, heads };
    };
    assert.deepEqual(await run(true, '"now"'), { sent: [{ ifMatch: '"now"' }], heads: 1 });
    assert.deepEqual(await run(true, undefined), { sent: [{ ifNoneMatch: '*' }], heads: 1 });
    assert.deepEqual(await run(false, '"now"'), { sent: [undefined], heads: 0 });
  });

  it('a 409 ConditionalRequestConflict to a quoted If-Match is a conflict at once: no HEAD, no bare-ETag retry', async () => {
    const sent: (WritePrecondition | undefined)[] = [];
    let heads = 0;
    const raced = new S3ZipSyncError('CONFLICT', 'k was changed by someone else', { cause: { name: 'ConditionalRequestConflict', $metadata: { httpStatusCode: 409 } } });
    await assert.rejects(
      writeConditionally({
        decision: updated,
        remote,
        writes: conditionalWrites(true),
        send: async (precondition) => {
          sent.push(precondition);
          throw raced;
        },
        currentEtag: async () => {
          heads++;
          return remote.etag;
        },
      }),
      (error: S3ZipSyncError) => error === raced,
    );
    assert.deepEqual(sent, [{ ifMatch: '"abc"' }]);
    assert.equal(heads, 0);
  });

  it('a 412 to If-None-Match is a conflict at once: no HEAD, no second write', async () => {
    const sent: (WritePrecondition | undefined)[] = [];
    let heads = 0;
    await assert.rejects(
      writeConditionally({
        decision: decide({ size: 10 }, null),
        remote: null,
        writes: conditionalWrites(true),
        send: async (precondition) => {
          sent.push(precondition);
          throw conflict();
        },
        currentEtag: async () => {
          heads++;
          return '"other"';
        },
      }),
      { code: 'CONFLICT' },
    );
    assert.deepEqual(sent, [{ ifNoneMatch: '*' }]);
    assert.equal(heads, 0);
  });

  it('a 412 to If-Match with a changed ETag is a conflict (AWS, or a real race)', async () => {
    const sent: (WritePrecondition | undefined)[] = [];
    const writes = conditionalWrites(true);
    await assert.rejects(
      writeConditionally({
        decision: updated,
        remote,
        writes,
        send: async (precondition) => {
          sent.push(precondition);
          throw conflict();
        },
        currentEtag: async () => '"changed"',
      }),
      { code: 'CONFLICT' },
    );
    assert.deepEqual(sent, [{ ifMatch: '"abc"' }]);
    assert.equal(writes.ifMatchForm, 'quoted');
  });

  it('a 412 to If-Match over an unchanged ETag is retried once with the bare ETag, and the run remembers', async () => {
    const sent: (WritePrecondition | undefined)[] = [];
    const writes = conditionalWrites(true);
    await writeConditionally({
      decision: updated,
      remote,
      writes,
      send: async (precondition) => {
        sent.push(precondition);
        if (precondition && 'ifMatch' in precondition && precondition.ifMatch.startsWith('"')) throw conflict();
      },
      currentEtag: async () => 'abc',
    });
    assert.deepEqual(sent, [{ ifMatch: '"abc"' }, { ifMatch: 'abc' }]);
    assert.equal(writes.ifMatchForm, 'unquoted');
  });

  it('the bare retry failing too is a conflict, not a third write', async () => {
    let writesSent = 0;
    await assert.rejects(
      writeConditionally({
        decision: updated,
        remote,
        writes: conditionalWrites(true),
        send: async () => {
          writesSent++;
          throw conflict();
        },
        currentEtag: async () => '"abc"',
      }),
      { code: 'CONFLICT' },
    );
    assert.equal(writesSent, 2);
  });

  it('other failures pass through untouched, and nothing is conditional when turned off', async () => {
    const sent: (WritePrecondition | undefined)[] = [];
    await assert.rejects(
      writeConditionally({
        decision: updated,
        remote,
        writes: conditionalWrites(false),
        send: async (precondition) => {
          sent.push(precondition);
          throw new S3ZipSyncError('S3_ERROR', 'boom');
        },
        currentEtag: async () => '"abc"',
      }),
      { code: 'S3_ERROR' },
    );
    assert.deepEqual(sent, [undefined]);
  });
});

describe('writeConditionally, entries in flight together', () => {
  it('an entry that sent the quoted ETag before another taught the run the bare form still gets its bare retry', async () => {
    const writes = conditionalWrites(true);
    const remote = { size: 10, etag: '"abc"' };
    const sent: (WritePrecondition | undefined)[] = [];
    await writeConditionally({
      decision: decide({ size: 12 }, remote),
      remote,
      writes,
      send: async (precondition) => {
        sent.push(precondition);
        // Another entry learns the bare form while this one's quoted write is on the wire.
        writes.ifMatchForm = 'unquoted';
        if (precondition && 'ifMatch' in precondition && precondition.ifMatch.startsWith('"')) throw new S3ZipSyncError('CONFLICT', 'refused');
      },
      currentEtag: async () => '"abc"',
    });
    assert.deepEqual(sent, [{ ifMatch: '"abc"' }, { ifMatch: 'abc' }]);
  });
});
