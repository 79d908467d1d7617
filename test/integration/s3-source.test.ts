import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { S3ZipSyncError, syncZip, type SyncEvent } from '../../src/internal.js';
import { attachRequestCounter } from '../../src/s3/request-counter.js';
import { openArchive, type Archive } from '../../src/zip/open-archive.js';
import { DEFAULT_S3_READER, type S3ReaderSettings } from '../../src/zip/s3-random-access-reader.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip, type ZipFileSpec } from '../helpers/zip-fixtures.js';

const SOURCE = 'incoming';
const TARGET = 'target';
const MiB = 1024 * 1024;
const STREAM_TIMEOUT = { timeout: 60_000 };

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function entryHashes(archive: Archive): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const entry of archive.entries) {
    if (entry.kind === 'file') hashes.set(entry.name, sha256(await readAll(await archive.openEntry(entry))));
  }
  return hashes;
}

/** Text-like, compressible, different per seed. */
function text(size: number, seed: number): Buffer {
  return Buffer.from(`line ${seed} of a generated file, with some words to deflate\n`.repeat(Math.ceil(size / 50))).subarray(0, size);
}

function smallEntries(count: number): ZipFileSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `small/${String(i).padStart(5, '0')}.txt`, data: text(200 + ((i * 997) % 1800), i) }));
}

describe('zip stored in S3, read with ranged GETs', () => {
  let s3: TestS3;
  let tmp: string;
  before(async () => {
    s3 = await startTestS3([SOURCE, TARGET]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's3zipsync-s3-source-'));
  });
  after(async () => {
    await s3?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function store(key: string, zip: Buffer): Promise<string> {
    await s3.client.send(new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: zip }));
    const file = path.join(tmp, key.replaceAll('/', '_'));
    fs.writeFileSync(file, zip);
    return file;
  }

  const settings: Array<[string, Partial<S3ReaderSettings>]> = [
    ['default blocks', {}],
    // The smallest blocks and cache allowed: reads straddle boundaries, blocks are evicted and re-fetched.
    ['small blocks', { blockSize: 64 * 1024, cachedBlocks: 4, streamChunkSize: 100_000 }],
  ];
  for (const [label, reader] of settings) {
    it(`${label}: every entry is byte-identical to a local read of the same zip`, STREAM_TIMEOUT, async () => {
      const zip = await makeZip([
        { name: 'a.txt', data: 'alpha\n' },
        { name: 'empty.txt', data: '' },
        { name: 'stored.bin', data: randomBytes(70_000), compress: false },
        { name: 'big/random.bin', data: randomBytes(DEFAULT_S3_READER.streamChunkSize * 2 + 12_345), compress: false },
        { name: 'big/deflated.txt', data: text(3 * MiB, 7) },
        ...smallEntries(200),
      ]);
      const file = await store(`identical-${label.replace(' ', '-')}.zip`, zip);
      const local = await openArchive(file);
      const remote = await openArchive({ bucket: SOURCE, key: `identical-${label.replace(' ', '-')}.zip`, client: s3.client, reader });
      try {
        assert.deepEqual(remote.entries, local.entries);
        const [localHashes, remoteHashes] = [await entryHashes(local), await entryHashes(remote)];
        assert.equal(remoteHashes.size, 205);
        assert.deepEqual(remoteHashes, localHashes);
      } finally {
        local.close();
        remote.close();
      }
    });
  }

  it('a many-small-entries zip costs at most ⌈zip size / block size⌉ + 1 GETs, and its re-run only the directory', STREAM_TIMEOUT, async () => {
    // Incompressible entries of 300 B–1.5 KB, so that 500 of them make a zip of many blocks.
    const entries = Array.from({ length: 500 }, (_, i) => ({ name: `r/${i}.bin`, data: randomBytes(300 + ((i * 577) % 1200)), compress: false }));
    const zip = await makeZip(entries);
    await store('many-small.zip', zip);
    // Blocks much smaller than the zip, so the bound says something: 64 KiB against a ~490 KB zip.
    const reader = { blockSize: 64 * 1024, cachedBlocks: 8 };
    const bound = Math.ceil(zip.length / reader.blockSize) + 1;
    const source = { bucket: SOURCE, key: 'many-small.zip', reader };

    const first = await syncZip({ zip: source, bucket: TARGET, prefix: 'many', client: s3.client });
    assert.equal(first.counts.new, 500);
    assert.equal(first.counts.failed, 0);
    const gets = first.requests.GetObject ?? 0;
    assert.ok(gets <= bound, `${gets} GETs for ${entries.length} entries, bound ${bound} (zip ${zip.length} bytes)`);
    assert.equal(first.requests.HeadObject, 1, 'one HEAD of the zip; the default strategy (auto) checks 500 entries with one listing');
    assert.equal(first.requests.ListObjectsV2, 1);

    const second = await syncZip({ zip: source, bucket: TARGET, prefix: 'many', client: s3.client });
    assert.equal(second.counts.ignored, 500);
    // Nothing to upload, so no entry data is read: only the tail yauzl searches for the end record
    // (the last 64 KiB + 42 bytes) and the central directory before it.
    const directoryBytes = entries.reduce((sum, entry) => sum + 46 + entry.name.length, 0);
    const tailBytes = directoryBytes + 65_557;
    assert.ok((second.requests.GetObject ?? 0) <= Math.ceil(tailBytes / reader.blockSize) + 1, JSON.stringify(second.requests));
    assert.ok((second.requests.GetObject ?? 0) < gets, `the re-run reads less than the first run (${gets} GETs)`);
  });

  it('shards 0..n-1 together sync every entry exactly once', STREAM_TIMEOUT, async () => {
    const entries = [...smallEntries(120), { name: 'large.bin', data: randomBytes(300_000), compress: false }];
    await store('sharded.zip', await makeZip(entries));
    const count = 4;
    const seen = new Map<string, number>();
    for (let index = 0; index < count; index++) {
      const events: SyncEvent[] = [];
      const report = await syncZip({
        zip: { bucket: SOURCE, key: 'sharded.zip' },
        bucket: TARGET,
        prefix: 'sharded',
        client: s3.client,
        shard: { index, count },
        onEvent: (event) => events.push(event),
      });
      assert.equal(report.complete, true);
      assert.equal(report.counts.ignored, 0, `shard ${index} re-did another shard's entry`);
      for (const event of events) if (event.type === 'entry') seen.set(event.entry, (seen.get(event.entry) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), entries.map((entry) => entry.name).sort());
    assert.ok([...seen.values()].every((times) => times === 1));
    assert.equal((await listKeys(s3.client, TARGET, 'sharded/')).size, entries.length);
  });

  it('an archive replaced while it is read fails with SOURCE_CHANGED, naming it', STREAM_TIMEOUT, async () => {
    await store('replaced.zip', await makeZip([{ name: 'x.bin', data: randomBytes(300_000), compress: false }]));
    // 64 KiB blocks: opening reads only the zip's tail, so the entry's start is not cached when the object changes.
    const archive = await openArchive({ bucket: SOURCE, key: 'replaced.zip', client: s3.client, reader: { blockSize: 64 * 1024 } });
    try {
      await store('replaced.zip', await makeZip([{ name: 'x.bin', data: randomBytes(300_000), compress: false }]));
      const error = await (async () => readAll(await archive.openEntry(archive.entries[0]!)))().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof S3ZipSyncError, String(error));
      assert.equal(error.code, 'SOURCE_CHANGED');
      assert.match(error.message, /^zip s3:\/\/incoming\/replaced\.zip was replaced while being read/);
      // Later reads fail the same way at once, without asking S3 again.
      const counter = attachRequestCounter(s3.client);
      try {
        await assert.rejects((async () => readAll(await archive.openEntry(archive.entries[0]!)))(), (again: unknown) => again === error);
        assert.deepEqual(counter.counts, {});
      } finally {
        counter.detach();
      }
    } finally {
      archive.close();
    }
  });

  it('reader settings too small to bound the requests are refused before any request', async () => {
    await assert.rejects(
      openArchive({ bucket: SOURCE, key: 'any.zip', client: s3.client, reader: { blockSize: 4096 } }),
      (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && error.message === 'reader block size must be an integer of at least 65536 bytes, got 4096',
    );
  });

  it('a missing zip is a one-line INVALID_OPTION naming it, and nothing is written', async () => {
    const counter = attachRequestCounter(s3.client);
    try {
      await assert.rejects(
        syncZip({ zip: { bucket: SOURCE, key: 'nope/absent.zip' }, bucket: TARGET, client: s3.client }),
        (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && error.message === 'zip not found: s3://incoming/nope/absent.zip',
      );
      assert.deepEqual(counter.counts, { HeadObject: 1 });
    } finally {
      counter.detach();
    }
  });
});
