import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../src/decide.js';

describe('decide', () => {
  it('absent remote object → new', () => {
    assert.deepEqual(decide({ size: 10 }, null), { action: 'new' });
  });

  it('size differs → updated, reporting the remote size', () => {
    assert.deepEqual(decide({ size: 10 }, { size: 7 }), { action: 'updated', remoteSize: 7 });
    assert.deepEqual(decide({ size: 7 }, { size: 10 }), { action: 'updated', remoteSize: 10 });
  });

  it('same size → ignored (etag is not compared)', () => {
    assert.deepEqual(decide({ size: 10 }, { size: 10 }), { action: 'ignored' });
    assert.deepEqual(decide({ size: 10 }, { size: 10, etag: '"abc"' }), { action: 'ignored' });
  });

  it('0-byte entry, absent remote → new', () => {
    assert.deepEqual(decide({ size: 0 }, null), { action: 'new' });
  });

  it('0-byte entry, 0-byte remote → ignored', () => {
    assert.deepEqual(decide({ size: 0 }, { size: 0 }), { action: 'ignored' });
  });

  it('0-byte entry, non-empty remote → updated with remoteSize', () => {
    assert.deepEqual(decide({ size: 0 }, { size: 5 }), { action: 'updated', remoteSize: 5 });
  });

  it('non-empty entry, 0-byte remote → updated with remoteSize 0', () => {
    assert.deepEqual(decide({ size: 5 }, { size: 0 }), { action: 'updated', remoteSize: 0 });
  });
});
