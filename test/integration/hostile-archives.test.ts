import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3ZipSyncError } from '../../src/errors.js';
import { createPlanHandler } from '../../src/lambda/plan-handler.js';
import { compileEntryFilter } from '../../src/filter/entry-filter.js';
import { selectEntries } from '../../src/sync/select-entries.js';
import { END_RECORD_SEARCH, findDirectory } from '../../src/zip/end-record.js';
import { openArchive, type DirectoryPart } from '../../src/zip/open-archive.js';
import { HOSTILE_ARCHIVES } from '../fixtures/generate-hostile-zips.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';

const BUCKET = 'hostile-bucket';
/** The sharded tests' zips: a bucket of their own, so the per-archive folders above stay the only ones in BUCKET. */
const SOURCES = 'hostile-sources';
const MiB = 1024 * 1024;
const OK_SHA = sha256('an honest entry\n');

interface Expected {
  /** Extra CLI flags. */
  flags?: string[];
  exit: 0 | 1 | 2;
  /** The one line that explains it: on stderr for exit 2, the `Failed` line on stdout for exit 1. */
  message?: RegExp;
  /** Entry names that exist under the prefix afterwards, and nothing else. */
  stored: string[];
  warning?: RegExp;
}

// The rule for each kind (also in the README): refuse the whole archive (exit 2, nothing written),
// or fail one entry and store the others (exit 1), or accept it.
const EXPECTED: Record<string, Expected> = {
  'zip-slip-parent': { exit: 2, message: /^s3zipsync: entry name escapes the target with "\.\.": "\.\.\/x"$/, stored: [] },
  'zip-slip-nested': { exit: 2, message: /^s3zipsync: entry name escapes the target with "\.\.": "a\/\.\.\/\.\.\/x"$/, stored: [] },
  'absolute-path': { exit: 2, message: /^s3zipsync: absolute entry name: "\/etc\/passwd"$/, stored: [] },
  'drive-path': { exit: 2, message: /^s3zipsync: absolute entry name: "C:\/x"$/, stored: [] },
  'backslash-path': { exit: 2, message: /^s3zipsync: entry name contains a backslash: "\.\.\\\\x"$/, stored: [] },
  'nul-in-name': { exit: 2, message: /^s3zipsync: entry name contains a NUL byte: "a\.txt\\u0000\.jpg"$/, stored: [] },
  'duplicate-names': { exit: 2, message: /^s3zipsync: duplicate entry name: "same\.txt"$/, stored: [] },
  'local-header-mismatch': {
    exit: 1,
    message: /^Failed p\/ok\/escape\.txt: local header of entry "ok\/escape\.txt" disagrees with the central directory: name "\.\.\/escape\.txt"$/,
    stored: ['ok.txt'],
  },
  'local-unicode-path-smuggle': {
    exit: 1,
    message: /^Failed p\/ok\/unicode\.txt: local header of entry "ok\/unicode\.txt" disagrees with the central directory: name "\.\.\/unicode\.txt"$/,
    stored: ['ok.txt'],
  },
  'overlapping-entries': { exit: 2, message: /^s3zipsync: entries "bomb\/000\.bin" and "bomb\/001\.bin" overlap in the archive \(a zip bomb trick\); refusing it$/, stored: [] },
  'declared-size-smaller': { exit: 1, message: /^Failed p\/big\.txt: corrupt entry "big\.txt": /, stored: ['ok.txt'] },
  'declared-size-larger': { exit: 1, message: /^Failed p\/big\.txt: corrupt entry "big\.txt": 10000 bytes read, 20000 declared$/, stored: ['ok.txt'] },
  'crc-mismatch': { exit: 1, message: /^Failed p\/bad\.txt: corrupt entry "bad\.txt": crc32 [0-9a-f]{8} read, 12345678 declared$/, stored: ['ok.txt'] },
  'high-ratio': { exit: 0, stored: ['ok.txt', 'zeros.bin'] },
  'truncated': { exit: 2, message: /^s3zipsync: not a valid zip archive \(.*truncated\.zip\): /, stored: [] },
  'corrupt-central-directory': { exit: 2, message: /^s3zipsync: not a valid zip archive \(.*\): invalid central directory file header signature: 0xdeadbeef$/, stored: [] },
  'encrypted': { exit: 2, message: /^s3zipsync: encrypted entry is not supported: "secret\.txt"$/, stored: [] },
  'zip64': { exit: 0, stored: ['data/z64.txt', 'ok.txt'] },
  'many-empty-entries': { flags: ['--max-entries', '50000'], exit: 2, message: /^s3zipsync: archive has 100000 entries, more than --max-entries 50000$/, stored: [] },
  'symlink': { exit: 0, stored: ['ok.txt'], warning: /^warning: skipped symlink entry link$/ },
  'invalid-utf8-name': { exit: 2, message: /^s3zipsync: entry name flagged utf-8 is not valid utf-8: "b\uFFFD\.txt"$/, stored: [] },
  'cp437-name': { exit: 0, stored: ['ok.txt', 'ü.txt'] },
  'empty-archive': { exit: 2, message: /^s3zipsync: archive contains no files$/, stored: [] },
  'not-a-zip': { exit: 2, message: /^s3zipsync: not a valid zip archive \(.*not-a-zip\.zip\): End of central directory record signature not found\. Either not a zip file, or file is truncated\.$/, stored: [] },
};

describe('hostile and broken archives against s3rver (real CLI)', () => {
  let s3: TestS3;
  let dir: string;
  before(async () => {
    s3 = await startTestS3([BUCKET, SOURCES]);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-hostile-'));
  });
  after(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every archive the generator makes has an expected outcome here', () => {
    assert.deepEqual(HOSTILE_ARCHIVES.map((a) => a.id).sort(), Object.keys(EXPECTED).sort());
  });

  // Each archive writes under its own folder, so the CLI runs can overlap.
  describe('each archive', { concurrency: 4 }, () => {
  for (const archive of HOSTILE_ARCHIVES) {
    const expected = EXPECTED[archive.id]!;
    it(`${archive.id} (${archive.defect}): exit ${expected.exit}, stored: ${expected.stored.join(', ') || 'nothing'}`, async () => {
      const zip = join(dir, `${archive.id}.zip`);
      writeFileSync(zip, await archive.build());
      // Each archive gets its own bucket folder; `p` inside it keeps the expected messages short.
      const root = `${archive.id}/`;
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', `${root}p`, ...(expected.flags ?? [])], s3.env);
      const stdout = run.stdout.replaceAll(`${root}p/`, 'p/');
      assert.equal(run.code, expected.exit, `${run.stdout}\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      if (expected.exit === 2) {
        assert.equal(run.stdout, '');
        assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
        assert.match(run.stderr.trimEnd(), expected.message!);
      } else if (expected.exit === 1) {
        const failed = stdout.split('\n').filter((line) => line.startsWith('Failed '));
        assert.equal(failed.length, 1, stdout);
        assert.match(failed[0]!, expected.message!);
      }
      if (expected.warning) assert.match(run.stderr.trimEnd(), expected.warning);
      else if (expected.exit !== 2) assert.equal(run.stderr, '');

      // Nothing outside the prefix, and exactly the expected objects inside it.
      const everything = [...(await listKeys(s3.client, BUCKET, root)).keys()];
      assert.deepEqual(everything.map((key) => key.slice(`${root}p/`.length)).sort(), [...expected.stored].sort());
      if (expected.stored.includes('ok.txt')) assert.equal(await objectSha256(s3.client, BUCKET, `${root}p/ok.txt`), OK_SHA);
    });
  }
  });

  it('nothing was ever written outside the per-archive folders', async () => {
    const roots = new Set([...(await listKeys(s3.client, BUCKET)).keys()].map((key) => key.split('/')[0]));
    for (const root of roots) assert.ok(root! in EXPECTED, `unexpected top-level ${root}`);
  });

  it('high ratio: the stored object is the inflated bytes; --max-entry-size refuses it before any upload', async () => {
    const archive = HOSTILE_ARCHIVES.find((a) => a.id === 'high-ratio')!;
    assert.equal(await objectSha256(s3.client, BUCKET, 'high-ratio/p/zeros.bin'), sha256(Buffer.alloc(20 * MiB)));
    const zip = join(dir, 'high-ratio-limited.zip');
    writeFileSync(zip, await archive.build());
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'high-ratio-limited', '--max-entry-size', '10MiB'], s3.env);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 's3zipsync: entry "zeros.bin" is 20971520 bytes, more than --max-entry-size 10485760\n');
    assert.equal((await listKeys(s3.client, BUCKET, 'high-ratio-limited/')).size, 0);
  });

  it('zip64 entries are stored byte-identical', async () => {
    assert.equal(await objectSha256(s3.client, BUCKET, 'zip64/p/data/z64.txt'), sha256('zip64 entry\n'.repeat(1000)));
  });

  it('100,000 empty entries: the whole central directory is read and every entry listed', async () => {
    const archive = await openArchive(await HOSTILE_ARCHIVES.find((a) => a.id === 'many-empty-entries')!.build());
    try {
      assert.equal(archive.entries.length, 100_000);
      assert.ok(archive.entries.every((entry) => entry.kind === 'file' && entry.size === 0));
      assert.equal(archive.entries.at(-1)!.name, 'e/099999');
    } finally {
      archive.close();
    }
  });

  /** What the archive's own (unsharded) read refuses it with, or undefined when it is accepted whole. */
  async function refusal(zip: Buffer): Promise<string | undefined> {
    try {
      const archive = await openArchive(zip);
      try {
        selectEntries(archive.entries, compileEntryFilter({ rules: [], excludeJunk: true }));
      } finally {
        archive.close();
      }
      return undefined;
    } catch (error) {
      return (error as S3ZipSyncError).code;
    }
  }

  async function stored(id: string, zip: Buffer): Promise<{ key: string; etag: string }> {
    const key = `sharded/${id}.zip`;
    await s3.client.send(new PutObjectCommand({ Bucket: SOURCES, Key: key, Body: zip }));
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: SOURCES, Key: key }));
    return { key, etag: head.ETag! };
  }

  describe('sharded by a plan: the plan refuses the archive whole, each shard checks its part of the directory', () => {
    it('the plan refuses every archive that is refused whole, with the same code, before any shard runs', async () => {
      const plan = createPlanHandler({ client: s3.client, env: {}, log: () => {} });
      let refused = 0;
      for (const archive of HOSTILE_ARCHIVES) {
        const zip = await archive.build();
        const code = await refusal(zip);
        const { key } = await stored(archive.id, zip);
        if (code === undefined) {
          await plan({ bucket: SOURCES, key });
          continue;
        }
        refused++;
        await assert.rejects(plan({ bucket: SOURCES, key }), (error: Error) => {
          assert.equal(error.name, `S3ZipSync.${code}`, `${archive.id}: ${error.message}`);
          return true;
        });
      }
      // Names, duplicates, overlap, encryption, the entry count, a broken directory, no files.
      assert.ok(refused >= 12, `${refused} refused`);
    });

    it('a shard given the whole directory as its part refuses what the archive is refused for', async () => {
      let checked = 0;
      for (const archive of HOSTILE_ARCHIVES) {
        const zip = await archive.build();
        const code = await refusal(zip);
        const tailStart = Math.max(0, zip.length - END_RECORD_SEARCH);
        const directory = findDirectory(zip.subarray(tailStart), tailStart);
        // A part without files is no error (the plan saw the whole archive); no end record, no part.
        if (code === undefined || code === 'EMPTY_ARCHIVE' || !directory || archive.id === 'truncated' || archive.id === 'not-a-zip') continue;
        const { key, etag } = await stored(archive.id, zip);
        const part: DirectoryPart = { ...directory, etag };
        await assert.rejects(openArchive({ bucket: SOURCES, key, client: s3.client }, {}, {}, part), (error: Error) => {
          assert.equal((error as S3ZipSyncError).code, code, `${archive.id}: ${error.message}`);
          return true;
        });
        checked++;
      }
      assert.ok(checked >= 10, `${checked} checked`);
    });

    it('a shard given the whole directory as its part of an accepted archive (zip64 too) reads what the unsharded read does', async () => {
      let checked = 0;
      for (const archive of HOSTILE_ARCHIVES) {
        const zip = await archive.build();
        if ((await refusal(zip)) !== undefined) continue;
        const tailStart = Math.max(0, zip.length - END_RECORD_SEARCH);
        const { key, etag } = await stored(`accepted-${archive.id}`, zip);
        const whole = await openArchive(zip);
        const part = await openArchive({ bucket: SOURCES, key, client: s3.client }, {}, {}, { ...findDirectory(zip.subarray(tailStart), tailStart)!, etag });
        try {
          assert.deepEqual(part.entries, whole.entries, archive.id);
          for (const [i, entry] of part.entries.entries()) {
            if (entry.kind !== 'file') continue;
            const expected = await whole.readEntry(whole.entries[i]!).catch((error: S3ZipSyncError) => error.code);
            assert.deepEqual(await part.readEntry(entry).catch((error: S3ZipSyncError) => error.code), expected, `${archive.id}: ${entry.name}`);
          }
        } finally {
          whole.close();
          part.close();
        }
        checked++;
      }
      assert.ok(checked >= 6, `${checked} checked`);
    });

    it('within its part, a shard still finds duplicates and overlaps; across parts, only the plan can', async () => {
      for (const id of ['duplicate-names', 'overlapping-entries']) {
        const zip = await HOSTILE_ARCHIVES.find((a) => a.id === id)!.build();
        const tailStart = Math.max(0, zip.length - END_RECORD_SEARCH);
        const whole = findDirectory(zip.subarray(tailStart), tailStart)!;
        const { key, etag } = await stored(id, zip);
        // The part without the first record (ok.txt, or the first of the bomb's entries) still holds the defect.
        const first = 46 + zip.readUInt16LE(whole.offset + 28) + zip.readUInt16LE(whole.offset + 30) + zip.readUInt16LE(whole.offset + 32);
        const part: DirectoryPart = { offset: whole.offset + first, size: whole.size - first, entries: whole.entries - 1, etag };
        await assert.rejects(openArchive({ bucket: SOURCES, key, client: s3.client }, {}, {}, part), { code: id === 'duplicate-names' ? 'DUPLICATE_ENTRY' : 'INVALID_ARCHIVE' });
        // A part of one record cannot see the other: the plan, which reads every record, refused it above.
        const one: DirectoryPart = { offset: whole.offset + first, size: 46 + zip.readUInt16LE(whole.offset + first + 28), entries: 1, etag };
        const archive = await openArchive({ bucket: SOURCES, key, client: s3.client }, {}, {}, one);
        assert.equal(archive.entries.length, 1);
        archive.close();
      }
    });

    it("a shard still checks each entry's local header against its record", async () => {
      const zip = await HOSTILE_ARCHIVES.find((a) => a.id === 'local-header-mismatch')!.build();
      const tailStart = Math.max(0, zip.length - END_RECORD_SEARCH);
      const { key, etag } = await stored('local-header-mismatch', zip);
      const archive = await openArchive({ bucket: SOURCES, key, client: s3.client }, {}, {}, { ...findDirectory(zip.subarray(tailStart), tailStart)!, etag });
      try {
        const escaping = archive.entries.find((entry) => entry.name === 'ok/escape.txt')!;
        await assert.rejects(archive.readEntry(escaping), { code: 'ENTRY_CORRUPT', message: /local header of entry "ok\/escape\.txt" disagrees/ });
      } finally {
        archive.close();
      }
    });

    it('a shard refuses a zip replaced since the plan read its directory', async () => {
      const zip = await HOSTILE_ARCHIVES.find((a) => a.id === 'cp437-name')!.build();
      const tailStart = Math.max(0, zip.length - END_RECORD_SEARCH);
      const { key } = await stored('replaced', zip);
      const part: DirectoryPart = { ...findDirectory(zip.subarray(tailStart), tailStart)!, etag: '"planned-from-another-version"' };
      await assert.rejects(openArchive({ bucket: SOURCES, key, client: s3.client }, {}, {}, part), { code: 'SOURCE_CHANGED', message: /replaced since its directory was planned/ });
    });
  });
});
