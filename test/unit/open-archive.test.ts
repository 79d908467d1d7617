import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { S3ZipSyncError, type ErrorCode } from '../../src/errors.js';
import { openArchive, type Archive, type ArchiveEntry } from '../../src/zip/open-archive.js';
import { createVerifyStream } from '../../src/zip/verify-stream.js';
import {
  NOT_A_ZIP,
  UNIX_SYMLINK_MODE,
  emptyZip,
  makeZip,
  rawZip,
  truncate,
  type RawEntry,
} from '../helpers/zip-fixtures.js';

const MB = 1024 * 1024;
// A stream that neither ends nor errors would otherwise hang the run instead of failing it.
const STREAM_TIMEOUT = { timeout: 20_000 };
// Random bytes do not compress, so the deflated copy is multi-chunk on the way in and out too.
const BIG = randomBytes(3 * MB + 12345);
const TEXT = 'hello, zip\n'.repeat(1000);

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's3zipsync-open-archive-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let fileCounter = 0;
function writeTemp(buf: Buffer): string {
  const file = path.join(tmp, `fixture-${++fileCounter}.zip`);
  fs.writeFileSync(file, buf);
  return file;
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, message?: RegExp | string): Promise<S3ZipSyncError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof S3ZipSyncError, `expected an S3ZipSyncError with code ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === 'string') assert.ok(caught.message.includes(message), caught.message);
  else if (message) assert.match(caught.message, message);
  return caught;
}

/** Reads a stream to its end or its first error, keeping what it emitted either way. */
function drain(stream: Readable): Promise<{ data: Buffer; error: unknown }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve({ data: Buffer.concat(chunks), error: undefined }));
    stream.once('error', (error) => resolve({ data: Buffer.concat(chunks), error }));
  });
}

async function readEntry(archive: Archive, entry: ArchiveEntry): Promise<Buffer> {
  const { data, error } = await drain(await archive.openEntry(entry));
  if (error) throw error;
  return data;
}

function entryNamed(archive: Archive, name: string): ArchiveEntry {
  const entry = archive.entries.find((e) => e.name === name);
  assert.ok(entry, `no entry named ${JSON.stringify(name)} in ${JSON.stringify(archive.entries.map((e) => e.name))}`);
  return entry;
}

async function withArchive<T>(source: string | Buffer, fn: (archive: Archive) => Promise<T>): Promise<T> {
  const archive = await openArchive(source);
  try {
    return await fn(archive);
  } finally {
    archive.close();
  }
}

describe('rawZip fixture', STREAM_TIMEOUT, () => {
  // Proves the hand-written archives are well formed, so a hostile variant fails for its one defect only.
  test('an ordinary raw archive opens and streams its bytes', async () => {
    const buf = rawZip([
      { name: 'stored.txt', data: TEXT },
      { name: 'deflated.txt', data: TEXT, compress: true },
      { name: 'dir/', data: '' },
    ]);
    await withArchive(buf, async (archive) => {
      assert.deepEqual(
        archive.entries.map((e) => [e.name, e.kind, e.size]),
        [
          ['stored.txt', 'file', TEXT.length],
          ['deflated.txt', 'file', TEXT.length],
          ['dir/', 'directory', 0],
        ],
      );
      assert.equal((await readEntry(archive, entryNamed(archive, 'stored.txt'))).toString(), TEXT);
      assert.equal((await readEntry(archive, entryNamed(archive, 'deflated.txt'))).toString(), TEXT);
    });
  });
});

describe('openArchive refuses hostile archives before returning', () => {
  const unsafeNames = ['/etc/passwd', 'C:/x', '../evil.txt', 'a/../../b', 'a\\b.txt', 'a\0b.txt', '', 'a//b'];
  for (const name of unsafeNames) {
    test(`unsafe name ${JSON.stringify(name)} is UNSAFE_ENTRY_NAME`, async () => {
      const buf = rawZip([{ name: 'ok.txt', data: 'fine' }, { name, data: 'payload' }]);
      const error = await rejectsWith(openArchive(buf), 'UNSAFE_ENTRY_NAME');
      if (name !== '') assert.ok(error.message.includes(JSON.stringify(name)), error.message);
    });
  }

  test('a backslash is refused, not silently turned into a slash', async () => {
    // yauzl rewrites `\` to `/` unless strictFileNames; `..\\evil` would otherwise become `../evil`-shaped keys.
    await rejectsWith(openArchive(rawZip([{ name: 'dir\\file.txt', data: 'x' }])), 'UNSAFE_ENTRY_NAME', 'backslash');
  });

  test('a stored entry whose declared size runs into the next entry is refused as overlapping', async () => {
    const buf = rawZip([{ name: 'f', data: TEXT, sizeOverride: TEXT.length + 20 }, { name: 'after.txt', data: 'next' }]);
    await rejectsWith(openArchive(buf), 'INVALID_ARCHIVE', 'entries "f" and "after.txt" overlap in the archive');
  });

  test('entries sharing one local header (zip bomb) are refused', async () => {
    const buf = rawZip([{ name: 'a', data: TEXT, compress: true }, { name: 'b', data: TEXT, compress: true }]);
    const centralB = buf.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    buf.writeUInt32LE(0, centralB + 42);
    await rejectsWith(openArchive(buf), 'INVALID_ARCHIVE', 'overlap');
  });

  test('a name flagged UTF-8 that is not valid UTF-8 is refused', async () => {
    await rejectsWith(
      openArchive(rawZip([{ name: Buffer.from([0x61, 0xc3]), data: 'x', flags: 0x800 }])),
      'UNSAFE_ENTRY_NAME',
      'entry name flagged utf-8 is not valid utf-8',
    );
  });

  test('an unsafe name in a CP437 (non-UTF-8) header is refused too', async () => {
    await rejectsWith(openArchive(rawZip([{ name: Buffer.from('../cp437.txt', 'latin1'), data: 'x' }])), 'UNSAFE_ENTRY_NAME');
  });

  test('duplicate names are DUPLICATE_ENTRY', async () => {
    const buf = rawZip([
      { name: 'same.txt', data: 'one' },
      { name: 'other.txt', data: 'two' },
      { name: 'same.txt', data: 'three' },
    ]);
    await rejectsWith(openArchive(buf), 'DUPLICATE_ENTRY', '"same.txt"');
  });

  test('an encrypted entry is ENCRYPTED_ENTRY', async () => {
    const buf = rawZip([{ name: 'secret.txt', data: 'classified', encrypted: true }]);
    await rejectsWith(openArchive(buf), 'ENCRYPTED_ENTRY', '"secret.txt"');
  });

  test('a stored entry whose two declared sizes differ is INVALID_ARCHIVE naming the entry and both sizes', async () => {
    const buf = rawZip([{ name: 'stored.txt', data: 'twelve bytes' }]);
    const central = buf.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    buf.writeUInt32LE(5, central + 20);
    await rejectsWith(openArchive(buf), 'INVALID_ARCHIVE', 'stored entry "stored.txt" declares 5 bytes stored for 12 bytes of content');
  });

  test('an encryption flag without room for an encryption header is ENCRYPTED_ENTRY, never "28 != 28"', async () => {
    const buf = rawZip([{ name: 'plain.txt', data: 'This file is not encrypted.\n', flags: 0x1 }]);
    const error = await rejectsWith(openArchive(buf), 'ENCRYPTED_ENTRY', /^encrypted entry is not supported: "plain\.txt" \(it has the encryption flag/);
    assert.doesNotMatch(error.message, /28 != 28/);
  });

  test('an unsupported compression method is UNSUPPORTED_ENTRY', async () => {
    const buf = rawZip([{ name: 'bzip2.bin', data: 'not really bzip2', method: 12 }]);
    await rejectsWith(openArchive(buf), 'UNSUPPORTED_ENTRY', /^entry "bzip2\.bin" uses bzip2 \(compression method 12\)/);
  });

  test('nameEncoding and normalizeNames outside their choices are INVALID_OPTION naming the option field', async () => {
    const buf = rawZip([{ name: 'a.txt', data: 'a' }]);
    await rejectsWith(openArchive(buf, {}, { nameEncoding: 'latin1' as never }), 'INVALID_OPTION', 'invalid nameEncoding: "latin1" (expected auto, utf8, cp437)');
    await rejectsWith(openArchive(buf, {}, { normalizeNames: 'nfd' as never }), 'INVALID_OPTION', 'invalid normalizeNames: "nfd" (expected nfc, none)');
  });

  test('zero padding after the end record opens, from a Buffer and from a file; other trailing bytes do not', async () => {
    const padded = rawZip([{ name: 'p.txt', data: 'padded' }], { trailing: Buffer.alloc(10240) });
    for (const source of [padded, writeTemp(padded)]) {
      await withArchive(source, async (archive) => {
        assert.deepEqual(archive.entries.map((entry) => entry.name), ['p.txt']);
        assert.equal((await readEntry(archive, archive.entries[0]!)).toString(), 'padded');
      });
    }
    const junk = rawZip([{ name: 'p.txt', data: 'padded' }], { trailing: Buffer.from('junk') });
    await rejectsWith(openArchive(junk), 'INVALID_ARCHIVE', /Invalid comment length/);
    await rejectsWith(openArchive(writeTemp(junk)), 'INVALID_ARCHIVE', /Invalid comment length/);
  });

  test('the same archive written to disk is refused by path as well', async () => {
    const file = writeTemp(rawZip([{ name: '../evil.txt', data: 'x' }]));
    await rejectsWith(openArchive(file), 'UNSAFE_ENTRY_NAME', '"../evil.txt"');
  });
});

describe('openArchive refuses what is not a whole zip', () => {
  let good: Buffer;
  before(async () => {
    good = await makeZip([
      { name: 'a.txt', data: TEXT },
      { name: 'b.txt', data: 'bee' },
    ]);
  });

  test('not a zip (buffer) is INVALID_ARCHIVE', async () => {
    await rejectsWith(openArchive(NOT_A_ZIP), 'INVALID_ARCHIVE', 'in-memory zip');
  });

  test('not a zip (path) is INVALID_ARCHIVE and names the file', async () => {
    const file = writeTemp(NOT_A_ZIP);
    await rejectsWith(openArchive(file), 'INVALID_ARCHIVE', file);
  });

  test('an empty buffer is INVALID_ARCHIVE', async () => {
    await rejectsWith(openArchive(Buffer.alloc(0)), 'INVALID_ARCHIVE');
  });

  for (const cut of [1, 10, 22]) {
    test(`a zip missing its last ${cut} bytes is INVALID_ARCHIVE`, async () => {
      await rejectsWith(openArchive(truncate(good, good.length - cut)), 'INVALID_ARCHIVE');
    });
  }

  test('a zip cut in half is INVALID_ARCHIVE (path)', async () => {
    await rejectsWith(openArchive(writeTemp(truncate(good, Math.floor(good.length / 2)))), 'INVALID_ARCHIVE');
  });

  test('a central directory that declares more entries than it holds is INVALID_ARCHIVE', async () => {
    await rejectsWith(openArchive(rawZip([{ name: 'a.txt', data: 'a' }], { declaredEntryCount: 2 })), 'INVALID_ARCHIVE');
  });

  test('a missing file is INVALID_OPTION, not INVALID_ARCHIVE', async () => {
    await rejectsWith(openArchive(path.join(tmp, 'does-not-exist.zip')), 'INVALID_OPTION', 'not found');
  });
});

describe('openArchive limits', () => {
  const hundred = 'x'.repeat(100);

  test('an entry larger than maxEntrySize is LIMIT_EXCEEDED naming the maxEntrySize option', async () => {
    const buf = await makeZip([{ name: 'big.txt', data: hundred }]);
    await rejectsWith(openArchive(buf, { maxEntrySize: 99 }), 'LIMIT_EXCEEDED', /"big\.txt" is 100 bytes, more than `maxEntrySize` 99/);
    const archive = await openArchive(buf, { maxEntrySize: 100 });
    archive.close();
    assert.equal(archive.entries.length, 1);
  });

  test('the size limit uses the declared size, so a highly compressible entry cannot hide', async () => {
    const buf = await makeZip([{ name: 'bomb.bin', data: Buffer.alloc(MB), compress: true }]);
    assert.ok(buf.length < 10_000, 'fixture should compress well');
    await rejectsWith(openArchive(buf, { maxEntrySize: MB - 1 }), 'LIMIT_EXCEEDED', '`maxEntrySize`');
  });

  test('more entries than maxEntries is LIMIT_EXCEEDED naming the maxEntries option', async () => {
    const buf = await makeZip([
      { name: 'a', data: '1' },
      { name: 'b', data: '2' },
      { name: 'dir/', data: '' },
    ]);
    await rejectsWith(openArchive(buf, { maxEntries: 2 }), 'LIMIT_EXCEEDED', /3 entries, more than `maxEntries` 2/);
    const archive = await openArchive(buf, { maxEntries: 3 });
    archive.close();
    assert.equal(archive.entries.length, 3);
  });

  test('files summing past maxTotalSize are LIMIT_EXCEEDED naming the maxTotalSize option', async () => {
    const buf = await makeZip([
      { name: 'a', data: hundred },
      { name: 'b', data: hundred },
      { name: 'c', data: hundred },
    ]);
    await rejectsWith(openArchive(buf, { maxTotalSize: 299 }), 'LIMIT_EXCEEDED', '`maxTotalSize` 299');
    const archive = await openArchive(buf, { maxTotalSize: 300 });
    archive.close();
    assert.equal(archive.entries.length, 3);
  });

  test('a limit refusal happens before any hostile name later in the archive is trusted', async () => {
    // Whole-archive validation: the caller gets one refusal and no entries to act on.
    const buf = rawZip([{ name: 'big', data: hundred }, { name: '../late.txt', data: 'x' }]);
    await rejectsWith(openArchive(buf, { maxEntrySize: 10 }), 'LIMIT_EXCEEDED');
    await rejectsWith(openArchive(buf), 'UNSAFE_ENTRY_NAME', '"../late.txt"');
  });
});

describe('openArchive entries', STREAM_TIMEOUT, () => {
  test('an empty zip opens with zero entries (buffer and path)', async () => {
    const buf = await emptyZip();
    for (const source of [buf, writeTemp(buf)]) {
      const archive = await openArchive(source);
      archive.close();
      assert.deepEqual(archive.entries, []);
    }
  });

  test('directories are kind "directory", by trailing slash or by unix mode', async () => {
    const buf = rawZip([
      { name: 'slash/', data: '' },
      { name: 'unixdir', data: '', unixMode: 0o040755 },
      { name: 'plain.txt', data: 'p' },
    ]);
    await withArchive(buf, async (archive) => {
      assert.deepEqual(
        archive.entries.map((e) => [e.name, e.kind]),
        [
          ['slash/', 'directory'],
          ['unixdir', 'directory'],
          ['plain.txt', 'file'],
        ],
      );
    });
    await withArchive(await makeZip([{ name: 'yazl-dir/', data: '' }]), async (archive) => {
      assert.equal(entryNamed(archive, 'yazl-dir/').kind, 'directory');
    });
  });

  test('unix symlinks are kind "symlink" and stream their target', async () => {
    const fromYazl = await makeZip([{ name: 'link', data: 'target/file.txt', mode: UNIX_SYMLINK_MODE, compress: false }]);
    const fromRaw = rawZip([{ name: 'link', data: 'target/file.txt', unixMode: UNIX_SYMLINK_MODE }]);
    for (const buf of [fromYazl, fromRaw]) {
      await withArchive(buf, async (archive) => {
        const link = entryNamed(archive, 'link');
        assert.equal(link.kind, 'symlink');
        assert.equal((await readEntry(archive, link)).toString(), 'target/file.txt');
      });
    }
  });

  test('symlink mode bits are ignored unless the entry was made on unix', async () => {
    // versionMadeBy 0 is MS-DOS, whose external attributes mean something else entirely.
    const buf = rawZip([{ name: 'not-a-link', data: 'x', versionMadeBy: 20, externalAttributes: (UNIX_SYMLINK_MODE << 16) >>> 0 }]);
    await withArchive(buf, async (archive) => assert.equal(entryNamed(archive, 'not-a-link').kind, 'file'));
  });

  test('entries carry the declared size and crc32', async () => {
    await withArchive(await makeZip([{ name: 'text.txt', data: TEXT }]), async (archive) => {
      const entry = entryNamed(archive, 'text.txt');
      assert.equal(entry.size, TEXT.length);
      assert.equal(entry.crc32, crc32(Buffer.from(TEXT)));
    });
  });
});

describe('readEntry gives the bytes openEntry streams', STREAM_TIMEOUT, () => {
  test('stored, deflated, empty and 3 MB entries', async () => {
    const buf = rawZip([
      { name: 'stored.txt', data: TEXT },
      { name: 'deflated.txt', data: TEXT, compress: true },
      { name: 'empty', data: '' },
      { name: 'empty-deflated', data: '', compress: true },
      { name: 'big.bin', data: BIG, compress: true },
    ]);
    await withArchive(buf, async (archive) => {
      for (const entry of archive.entries) {
        const whole = await archive.readEntry(entry);
        assert.equal(sha256(whole), sha256(await readEntry(archive, entry)), entry.name);
        assert.equal(whole.length, entry.size, entry.name);
      }
    });
  });
});

describe('openEntry streams exact bytes', STREAM_TIMEOUT, () => {
  const contents: Record<string, Buffer> = {
    'empty.bin': Buffer.alloc(0),
    'small.txt': Buffer.from(TEXT),
    'big.bin': BIG,
  };
  let zips: Array<{ label: string; source: () => string | Buffer; compress: boolean }>;
  before(async () => {
    const stored = await makeZip(Object.entries(contents).map(([name, data]) => ({ name, data, compress: false })));
    const deflated = await makeZip(Object.entries(contents).map(([name, data]) => ({ name, data, compress: true })));
    const storedPath = writeTemp(stored);
    const deflatedPath = writeTemp(deflated);
    zips = [
      { label: 'stored, buffer', source: () => stored, compress: false },
      { label: 'stored, path', source: () => storedPath, compress: false },
      { label: 'deflated, buffer', source: () => deflated, compress: true },
      { label: 'deflated, path', source: () => deflatedPath, compress: true },
    ];
  });

  for (const name of Object.keys(contents)) {
    for (const label of ['stored, buffer', 'stored, path', 'deflated, buffer', 'deflated, path']) {
      test(`${name} (${label})`, async () => {
        const zip = zips.find((z) => z.label === label);
        assert.ok(zip);
        const expected = contents[name];
        assert.ok(expected);
        await withArchive(zip.source(), async (archive) => {
          const data = await readEntry(archive, entryNamed(archive, name));
          assert.equal(data.length, expected.length);
          assert.equal(sha256(data), sha256(expected));
        });
      });
    }
  }

  test('entries can be read in any order and more than once', async () => {
    const zip = zips[3];
    assert.ok(zip);
    await withArchive(zip.source(), async (archive) => {
      const big = entryNamed(archive, 'big.bin');
      const small = entryNamed(archive, 'small.txt');
      const [a, b, c] = await Promise.all([readEntry(archive, big), readEntry(archive, small), readEntry(archive, big)]);
      assert.equal(sha256(a), sha256(BIG));
      assert.equal(b.toString(), TEXT);
      assert.equal(sha256(c), sha256(BIG));
    });
  });

  test('an entry of another archive is refused', async () => {
    const other = await openArchive(await makeZip([{ name: 'small.txt', data: 'x' }]));
    other.close();
    const foreign = other.entries[0];
    assert.ok(foreign);
    const zip = zips[0];
    assert.ok(zip);
    await withArchive(zip.source(), async (archive) => {
      await assert.rejects(archive.openEntry(foreign), /does not belong/);
    });
  });
});

describe('openEntry refuses corrupt data without emitting the final chunk', STREAM_TIMEOUT, () => {
  async function corruptRead(source: string | Buffer, name: string) {
    const archive = await openArchive(source);
    try {
      const entry = entryNamed(archive, name);
      let stream: Readable;
      try {
        stream = await archive.openEntry(entry);
      } catch (error) {
        return { entry, data: Buffer.alloc(0), error };
      }
      return { entry, ...(await drain(stream)) };
    } finally {
      archive.close();
    }
  }

  function assertCorrupt(result: { data: Buffer; error: unknown }, name: string, withheldBelow: number): void {
    assert.ok(result.error instanceof S3ZipSyncError, `expected ENTRY_CORRUPT, got ${String(result.error)}`);
    assert.equal(result.error.code, 'ENTRY_CORRUPT', result.error.message);
    assert.ok(result.error.message.includes(JSON.stringify(name)), result.error.message);
    assert.ok(
      result.data.length < withheldBelow,
      `emitted ${result.data.length} bytes; a corrupt entry must stop short of ${withheldBelow}`,
    );
  }

  const cases: Array<{ label: string; entry: RawEntry; bytes: number; path?: boolean; message?: RegExp }> = [
    { label: 'wrong crc32, stored', entry: { name: 'f', data: TEXT, crc32Override: 0xdeadbeef }, bytes: TEXT.length, message: /crc32/ },
    {
      label: 'wrong crc32, deflated',
      entry: { name: 'f', data: TEXT, compress: true, crc32Override: 0xdeadbeef },
      bytes: TEXT.length,
      message: /crc32/,
    },
    {
      label: 'wrong crc32, 3 MB stored from disk (many chunks)',
      entry: { name: 'f', data: BIG, crc32Override: (crc32(BIG) ^ 1) >>> 0 },
      bytes: BIG.length,
      path: true,
      message: /crc32/,
    },
    {
      label: 'wrong crc32, 3 MB deflated from disk (many chunks)',
      entry: { name: 'f', data: BIG, compress: true, crc32Override: (crc32(BIG) ^ 1) >>> 0 },
      bytes: BIG.length,
      path: true,
      message: /crc32/,
    },
    { label: 'size declared too small, stored', entry: { name: 'f', data: TEXT, sizeOverride: 100 }, bytes: 100 },
    {
      label: 'size declared too small, deflated',
      entry: { name: 'f', data: BIG, compress: true, sizeOverride: MB },
      bytes: MB,
      path: true,
    },
    {
      label: 'size declared too large, deflated',
      entry: { name: 'f', data: BIG, compress: true, sizeOverride: BIG.length + 1 },
      bytes: BIG.length,
      path: true,
    },
  ];

  for (const { label, entry, bytes, path: fromPath, message } of cases) {
    test(label, async () => {
      const buf = rawZip([entry, { name: 'after.txt', data: 'trailing entry so reads past the end hit real bytes' }]);
      const result = await corruptRead(fromPath ? writeTemp(buf) : buf, 'f');
      assertCorrupt(result, 'f', bytes);
      if (message) assert.match((result.error as Error).message, message);
    });
  }

  // The same archives read whole (the route of small entries): refused the same way, and no bytes given at all.
  for (const { label, entry, path: fromPath, message } of cases) {
    test(`readEntry: ${label}`, async () => {
      const buf = rawZip([entry, { name: 'after.txt', data: 'trailing entry so reads past the end hit real bytes' }]);
      const archive = await openArchive(fromPath ? writeTemp(buf) : buf);
      try {
        const whole = await rejectsWith(archive.readEntry(entryNamed(archive, 'f')), 'ENTRY_CORRUPT', 'corrupt entry "f": ');
        assert.match(whole.message, message ?? /bytes|crc32/);
      } finally {
        archive.close();
      }
    });
  }

  test('readEntry: a compressed size implausible for the declared size is streamed, not read into memory', async () => {
    // 3 MB of noise deflates to about 3 MB, declared as 1,000 bytes plain: reading it whole would hold
    // the 3 MB; the streamed path stops at the declared size, in yauzl's words rather than the one-shot's.
    const archive = await openArchive(writeTemp(rawZip([{ name: 'f', data: BIG, compress: true, sizeOverride: 1000 }])));
    try {
      await rejectsWith(archive.readEntry(entryNamed(archive, 'f')), 'ENTRY_CORRUPT', /too many bytes in the stream\. expected 1000/);
    } finally {
      archive.close();
    }
  });

  test('readEntry: a deflate stream that is cut short, or not deflate at all', async () => {
    const deflated = rawZip([{ name: 'f', data: TEXT, compress: true }]);
    // The data of the one entry starts after its 30-byte local header and name; zero it to break the stream.
    const broken = Buffer.from(deflated);
    broken.fill(0xff, 31, 41);
    const archive = await openArchive(broken);
    try {
      await rejectsWith(archive.readEntry(entryNamed(archive, 'f')), 'ENTRY_CORRUPT', 'corrupt entry "f"');
    } finally {
      archive.close();
    }
  });

  test('a healthy entry next to a corrupt one still reads', async () => {
    const buf = rawZip([
      { name: 'bad', data: TEXT, crc32Override: 1 },
      { name: 'good', data: TEXT },
    ]);
    await withArchive(buf, async (archive) => {
      const bad = await drain(await archive.openEntry(entryNamed(archive, 'bad')));
      assert.equal((bad.error as S3ZipSyncError).code, 'ENTRY_CORRUPT');
      assert.equal((await readEntry(archive, entryNamed(archive, 'good'))).toString(), TEXT);
    });
  });
});

describe('createVerifyStream', STREAM_TIMEOUT, () => {
  async function run(chunks: Buffer[], size: number, crc: number) {
    const verify = createVerifyStream('e.bin', size, crc);
    const result = drain(verify);
    for (const chunk of chunks) verify.write(chunk);
    verify.end();
    return result;
  }

  const data = Buffer.from('0123456789abcdef');
  const parts = [data.subarray(0, 5), data.subarray(5, 11), data.subarray(11)];

  test('passes correct data through unchanged', async () => {
    const { data: out, error } = await run(parts, data.length, crc32(data));
    assert.equal(error, undefined);
    assert.deepEqual(out, data);
  });

  test('holds back the last chunk until the end has been verified', async () => {
    const verify = createVerifyStream('e.bin', data.length, crc32(data));
    const seen: Buffer[] = [];
    verify.on('data', (chunk: Buffer) => seen.push(chunk));
    const ended = new Promise((resolve) => verify.once('end', resolve));
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    verify.write(parts[0]);
    await settle();
    assert.equal(seen.length, 0, 'a single chunk might be the last one');
    verify.write(parts[1]);
    await settle();
    assert.deepEqual(seen, [parts[0]]);
    verify.write(parts[2]);
    await settle();
    assert.deepEqual(seen, [parts[0], parts[1]]);
    verify.end();
    await ended;
    assert.deepEqual(seen, parts);
  });

  test('more bytes than declared is ENTRY_CORRUPT as soon as it happens', async () => {
    const { data: out, error } = await run(parts, data.length - 1, crc32(data));
    assert.equal((error as S3ZipSyncError).code, 'ENTRY_CORRUPT');
    assert.match((error as Error).message, /^corrupt entry "e\.bin": more than the declared 15 bytes$/);
    assert.ok(out.length < data.length - 1);
  });

  test('fewer bytes than declared is ENTRY_CORRUPT and the last chunk is withheld', async () => {
    const { data: out, error } = await run(parts, data.length + 1, crc32(data));
    assert.equal((error as S3ZipSyncError).code, 'ENTRY_CORRUPT');
    assert.match((error as Error).message, /16 bytes read, 17 declared/);
    assert.deepEqual(out, Buffer.concat(parts.slice(0, -1)));
  });

  test('a crc32 mismatch is ENTRY_CORRUPT, names both values, and withholds the last chunk', async () => {
    const { data: out, error } = await run(parts, data.length, 0x0badf00d);
    assert.equal((error as S3ZipSyncError).code, 'ENTRY_CORRUPT');
    const actual = crc32(data).toString(16).padStart(8, '0');
    assert.match((error as Error).message, new RegExp(`crc32 ${actual} read, 0badf00d declared`));
    assert.equal(out.length, data.length - (parts[2]?.length ?? 0));
  });

  test('a crc32 given as a signed 32-bit integer still matches', async () => {
    // Some readers hand CRCs around as int32; the comparison must not depend on the sign.
    const big = Buffer.from('crc with the high bit set?');
    let payload = big;
    for (let i = 0; crc32(payload) < 0x80000000; i++) payload = Buffer.concat([big, Buffer.from([i])]);
    const { data: out, error } = await run([payload], payload.length, crc32(payload) | 0);
    assert.equal(error, undefined);
    assert.deepEqual(out, payload);
  });

  test('an empty entry ends cleanly with no data', async () => {
    const { data: out, error } = await run([], 0, 0);
    assert.equal(error, undefined);
    assert.equal(out.length, 0);
  });

  test('an empty entry with a non-zero crc32 is ENTRY_CORRUPT', async () => {
    const { error } = await run([], 0, 1);
    assert.equal((error as S3ZipSyncError).code, 'ENTRY_CORRUPT');
  });

  test('an empty chunk does not release the held-back chunk before verification', async () => {
    const abc = Buffer.from('abc');
    const corrupt = await run([abc, Buffer.alloc(0)], 3, 0x0badf00d);
    assert.equal((corrupt.error as S3ZipSyncError).code, 'ENTRY_CORRUPT');
    assert.equal(corrupt.data.length, 0, 'the only real chunk must be withheld');
    const healthy = await run([Buffer.alloc(0), abc, Buffer.alloc(0)], 3, crc32(abc));
    assert.equal(healthy.error, undefined);
    assert.deepEqual(healthy.data, abc);
  });
});

describe('openArchive limit options', () => {
  test('refuses a limit that is not a non-negative integer instead of switching it off', async () => {
    const zip = await makeZip([{ name: 'a.txt', data: 'a' }]);
    for (const limits of [{ maxEntries: Number.NaN }, { maxEntrySize: -1 }, { maxTotalSize: 1.5 }]) {
      await assert.rejects(openArchive(zip, limits), { code: 'INVALID_OPTION', message: /^invalid `max/ });
    }
    const archive = await openArchive(zip, { maxEntrySize: undefined });
    assert.equal(archive.entries.length, 1);
    archive.close();
  });
});

describe('openEntry streams destroyed mid-read (an abort)', STREAM_TIMEOUT, () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3zipsync-destroy-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const openFds = () => fs.readdirSync('/proc/self/fd').length;

  for (const compress of [false, true]) {
    test(`${compress ? 'deflated' : 'stored'}: destroying 24 streams at once and closing the archive neither throws nor leaks the file`, async () => {
      const zipPath = path.join(dir, `many-${compress}.zip`);
      const files = Array.from({ length: 24 }, (_, i) => ({ name: `f${i}.bin`, data: randomBytes(MB), compress }));
      fs.writeFileSync(zipPath, await makeZip(files));
      const baseline = openFds();
      const archive = await openArchive(zipPath);
      const streams = await Promise.all(archive.entries.map((entry) => archive.openEntry(entry)));
      // Every stream has a read in flight (yauzl 3.4.0's own reader crashed here with a TypeError).
      await Promise.all(streams.map((stream) => new Promise((resolve) => stream.once('data', resolve))));
      for (const stream of streams) stream.destroy();
      archive.close();
      await Promise.all(streams.map((stream) => (stream.closed ? undefined : new Promise((resolve) => stream.once('close', resolve)))));
      for (let wait = 0; wait < 100 && openFds() > baseline; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(openFds(), baseline, 'the zip file is closed once the last read has returned');
    });
  }
});
