import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createRng } from '../../engine/rng.js';
import type { DownloadMethod, Fixture } from './types.js';

/** Decoded bytes per stored byte of a gzip fixture: the seed's 18 MB object held 81 MB of text. */
export const GZIP_FIXTURE_RATIO = 4.5;

const SYLLABLES = ['ka', 'to', 'ri', 'ne', 'sa', 'mo', 'lu', 'pe', 'di', 'va', 'ch', 'st', 'an', 'er', 'in', 'on', 'el', 'ar', 'th', 'qu', 'ou', 'ex', 'ly', 'ge'];
const VOCABULARY_SIZE = 2000;
// Tuned by measurement so gzip (level 6) shrinks the text about 4.5×, like the seed's log-like
// payloads: Zipf-distributed words alone give ~3.4×; repeating recent phrases (within gzip's 32 KiB
// window, as logs repeat lines) brings it up.
const PHRASE_REPEAT_PROBABILITY = 0.075;
const LINE_WIDTH = 70;

/**
 * Deterministic text-like bytes (lowercase words, spaces, newlines) for a seed, which gzip
 * compresses about 4.5× once past a few hundred KB (smaller inputs compress a little less).
 */
export function textLikeData(bytes: number, seed: number): Buffer {
  if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`bytes must be a whole number ≥ 0, got ${bytes}`);
  const rng = createRng(seed);
  const words: Buffer[] = [];
  for (let i = 0; i < VOCABULARY_SIZE; i++) {
    const syllables = 1 + Math.floor(rng() * 3) + (i > 50 ? 1 : 0);
    let word = '';
    for (let j = 0; j < syllables; j++) word += SYLLABLES[Math.floor(rng() * SYLLABLES.length)];
    words.push(Buffer.from(word));
  }
  const cumulative = new Float64Array(VOCABULARY_SIZE);
  let sum = 0;
  for (let i = 0; i < VOCABULARY_SIZE; i++) cumulative[i] = sum += 1 / (i + 1);
  for (let i = 0; i < VOCABULARY_SIZE; i++) cumulative[i] = cumulative[i]! / sum;

  const out = Buffer.allocUnsafe(bytes);
  let position = 0;
  let lineLength = 0;
  while (position < bytes) {
    if (position > 4096 && rng() < PHRASE_REPEAT_PROBABILITY) {
      const length = Math.min(20 + Math.floor(rng() * 60), bytes - position);
      const distance = 64 + Math.floor(rng() * 4000);
      out.copyWithin(position, position - distance, position - distance + length);
      position += length;
      lineLength += length;
      continue;
    }
    const r = rng();
    let low = 0;
    let high = VOCABULARY_SIZE - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < r) low = middle + 1;
      else high = middle;
    }
    position += words[low]!.copy(out, position);
    lineLength += words[low]!.length;
    if (position < bytes) {
      const newline = lineLength > LINE_WIDTH;
      out[position++] = newline ? 0x0a : 0x20;
      if (newline) lineLength = 0;
    }
  }
  return out;
}

/** `18MB` when a whole number of MiB, else `300KB` when a whole number of KiB, else `1000B`. */
export function formatFixtureSize(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes > 0 && bytes % MiB === 0) return `${bytes / MiB}MB`;
  if (bytes > 0 && bytes % 1024 === 0) return `${bytes / 1024}KB`;
  return `${bytes}B`;
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Uploads, for each size S (stored bytes), `<S> plain` (S bytes of text) and `<S> gzip` (the gzip of
 * 4.5·S bytes of text, so it is stored as about S bytes, with `Content-Encoding: gzip`) under
 * `prefix`. Untimed set-up: fixtures are built one at a time so at most one large buffer is alive.
 */
export async function createFixtures(
  client: S3Client,
  bucket: string,
  prefix: string,
  sizes: number[],
  options: { seed?: number } = {},
): Promise<Fixture[]> {
  const seed = options.seed ?? 1;
  const fixtures: Fixture[] = [];
  for (const size of [...new Set(sizes)]) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`fixture size must be a whole number of bytes ≥ 1, got ${size}`);
    const label = formatFixtureSize(size);
    for (const gzipped of [false, true]) {
      let decoded: Buffer | undefined = textLikeData(gzipped ? Math.round(size * GZIP_FIXTURE_RATIO) : size, seed + size);
      const stored = gzipped ? gzipSync(decoded) : decoded;
      const decodedBytes = decoded.length;
      const decodedSha256 = sha256Hex(decoded);
      decoded = undefined;
      const key = `${prefix}${label}-${gzipped ? 'gzip.txt.gz' : 'plain.txt'}`;
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: stored,
          ContentLength: stored.length,
          ContentType: 'text/plain',
          ...(gzipped ? { ContentEncoding: 'gzip' } : {}),
        }),
      );
      fixtures.push({
        name: `${label} ${gzipped ? 'gzip' : 'plain'}`,
        size,
        gzipped,
        target: { client, bucket, key, storedBytes: stored.length, decodedBytes, decodedSha256, gzipped },
      });
    }
  }
  return fixtures;
}

export interface MethodRejection {
  method: string;
  fixture: string;
  problem: string;
}

/** One line naming the method and the fixture, for reports and errors. */
export function formatRejection(rejection: MethodRejection): string {
  return `method ${rejection.method} on fixture "${rejection.fixture}": ${rejection.problem}`;
}

/**
 * Runs every method once on every fixture, one download at a time, and keeps only the methods that
 * returned the fixture's decoded bytes everywhere: timing a method that returns wrong bytes would
 * compare it on work it did not do. A thrown error counts as a wrong answer.
 */
export async function sanityCheckMethods(
  methods: DownloadMethod[],
  fixtures: Fixture[],
): Promise<{ ok: DownloadMethod[]; rejected: MethodRejection[] }> {
  const ok: DownloadMethod[] = [];
  const rejected: MethodRejection[] = [];
  for (const method of methods) {
    let wrong = false;
    for (const fixture of fixtures) {
      const expected = fixture.target;
      let problem: string | undefined;
      try {
        const got = await method.download(expected);
        if (got.bytes !== expected.decodedBytes || got.sha256 !== expected.decodedSha256) {
          problem =
            `returned ${got.bytes} bytes with sha256 ${got.sha256.slice(0, 12)}…, ` +
            `expected ${expected.decodedBytes} bytes with sha256 ${expected.decodedSha256.slice(0, 12)}…`;
        }
      } catch (error) {
        problem = `failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (problem !== undefined) {
        wrong = true;
        rejected.push({ method: method.name, fixture: fixture.name, problem });
      }
    }
    if (!wrong) ok.push(method);
  }
  return { ok, rejected };
}
