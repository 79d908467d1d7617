import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultServerDataPlace, describeServerData, makeServerDataDir, serverDataPlaceFromEnv } from '../../bench/harness/server-data.js';

describe('where the bench server keeps its data', () => {
  it('reads S3ZIPSYNC_BENCH_SERVER_DATA, defaulting to what the machine offers', () => {
    assert.equal(serverDataPlaceFromEnv({ S3ZIPSYNC_BENCH_SERVER_DATA: 'disk' }), 'disk');
    assert.equal(serverDataPlaceFromEnv({ S3ZIPSYNC_BENCH_SERVER_DATA: 'memory' }), 'memory');
    assert.equal(serverDataPlaceFromEnv({}), defaultServerDataPlace());
    assert.throws(() => serverDataPlaceFromEnv({ S3ZIPSYNC_BENCH_SERVER_DATA: 'ssd' }), /must be memory or disk, got "ssd"/);
  });

  it('puts disk data under the given folder and memory data on tmpfs', () => {
    const parent = mkdtempSync(join(tmpdir(), 'server-data-test-'));
    try {
      const onDisk = makeServerDataDir('disk', parent);
      assert.equal(dirname(onDisk), parent);
      assert.ok(existsSync(onDisk));
      if (defaultServerDataPlace() === 'memory') {
        const inMemory = makeServerDataDir('memory', parent);
        try {
          assert.equal(dirname(inMemory), '/dev/shm');
        } finally {
          rmSync(inMemory, { recursive: true, force: true });
        }
      }
      assert.match(describeServerData('memory'), /tmpfs \/dev\/shm/);
      assert.match(describeServerData('disk'), /on disk/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
