import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDetail } from '../../bin/output/format-detail.js';
import { jsonErrorLine, jsonEventLine } from '../../bin/output/json-lines.js';
import type { SyncEvent } from '../../src/internal.js';

type EntryEvent = Extract<SyncEvent, { type: 'entry' }>;
const base = { type: 'entry', dryRun: false, key: 'p/a.txt', entry: 'a.txt', size: 12 } as const;
const detail = { checkedBy: 'bulk (listing)', remoteSize: 12, crc32: '0d4a1185', attempts: 0 };

describe('formatDetail (-v)', () => {
  const cases: Array<[string, EntryEvent, string]> = [
    ['ignored by size', { ...base, action: 'ignored', detail }, '  size 12 = 12 stored; checked by bulk (listing); nothing sent'],
    ['ignored by crc32', { ...base, action: 'ignored', detail: { ...detail, checkedBy: 'bulk (listing) + HeadObject', remoteCrc32: '0d4a1185' } }, '  size 12 = 12 stored, crc32 0d4a1185 = 0d4a1185 stored; checked by bulk (listing) + HeadObject; nothing sent'],
    ['crc32 changed', { ...base, action: 'updated', remoteSize: 12, because: 'crc32', detail: { ...detail, remoteCrc32: 'ffffffff', attempts: 1 } }, '  size 12 = 12 stored, crc32 0d4a1185 ≠ ffffffff stored; checked by bulk (listing); 1 attempt'],
    ['size changed, retried', { ...base, action: 'updated', remoteSize: 10, detail: { ...detail, remoteSize: 10, attempts: 3 } }, '  size 12 ≠ 10 stored; checked by bulk (listing); 3 attempts (2 retries)'],
    ['absent, dry run', { ...base, dryRun: true, action: 'new', detail: { ...detail, checkedBy: 'head', remoteSize: null } }, '  absent; checked by head; dry run: nothing sent'],
    ['headers', { ...base, action: 'updated', remoteSize: 12, because: 'headers', changedHeaders: ['Cache-Control'], detail: { ...detail, attempts: 1 } }, '  size 12 = 12 stored, headers differ (Cache-Control): rewritten with CopyObject; checked by bulk (listing); 1 attempt'],
    ['check failed', { ...base, action: 'failed', code: 'S3_ERROR', reason: 'x', detail: { checkedBy: 'head', crc32: '0d4a1185', attempts: 0 } }, '  check failed; checked by head; nothing sent'],
  ];
  for (const [name, event, expected] of cases) {
    it(name, () => assert.equal(formatDetail(event), expected));
  }
});

describe('JSON lines', () => {
  it('carry "v": 1 first; terminal-only events are not printed', () => {
    const line = jsonEventLine({ type: 'warning', message: 'skipped symlink entry link', entry: 'link' });
    assert.equal(line, '{"v":1,"type":"warning","message":"skipped symlink entry link","entry":"link"}\n');
    assert.equal(jsonEventLine({ type: 'progress', filesDone: 1, files: 2, bytesUploaded: 3 }), undefined);
    assert.equal(jsonEventLine({ type: 'upload-progress', key: 'k', entry: 'e', size: 9, bytes: 5 }), undefined);
    assert.equal(jsonErrorLine({ code: 'USAGE', message: 'm', exitCode: 2 }), '{"v":1,"type":"error","code":"USAGE","message":"m","exitCode":2}\n');
  });
});
