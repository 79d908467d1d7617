/**
 * `npm run bench:hot-path`: two costs on the hot path of a sync, each measured cold in a fresh
 * process per candidate and round (a CLI run is one cold process), in interleaved rounds:
 *
 * - parsing ListObjectsV2 pages of 1,000 keys: fast-xml-parser's object tree (the parser before) vs
 *   saxes keeping only Key/Size/ETag (src/s3/transport/s3-xml.ts);
 * - undoing deflate for 2,000 entries of 1–8 KB: a zlib stream per entry (the route before) vs one
 *   inflateRawSync call each (src/zip/open-archive.ts readEntry).
 *
 * Written to bench/results/2026-12-01-hot-path.md. Options (env): ROUNDS (5).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { parseListObjectsV2 } from '../src/s3/transport/s3-xml.js';
import { createRng } from './engine/rng.js';
import { textLikeBytes } from './fixtures/content.js';
import { median } from './engine/stats.js';
import { describeMachine } from './harness/machine.js';
import { gitCommit } from './harness/provenance.js';

const PAGES = 3;
const KEYS_PER_PAGE = 1000;
const ENTRIES = 2000;
const CANDIDATES = { xml: ['fast-xml-parser', 'saxes'], inflate: ['zlib-stream', 'inflateRawSync'] } as const;

/** A page as s3rver writes one: key, modification time, quoted ETag (entities), size, class. */
function listingPage(page: number): string {
  const contents = Array.from({ length: KEYS_PER_PAGE }, (_, i) => {
    const n = page * KEYS_PER_PAGE + i;
    return `<Contents><Key>site/dir-${String(n % 20).padStart(2, '0')}/file-${String(n).padStart(5, '0')}.txt</Key><LastModified>2026-12-01T13:34:32.000Z</LastModified><ETag>&quot;${n.toString(16).padStart(32, '0')}&quot;</ETag><Size>${1000 + ((n * 7919) % 7000)}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://doc.s3.amazonaws.com/2006-03-01/"><Name>b</Name><Prefix>site/</Prefix><NextContinuationToken>t${page}</NextContinuationToken><KeyCount>${KEYS_PER_PAGE}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>${contents.join('')}</ListBucketResult>`;
}

/** The parse of a page before saxes, as src/s3/transport/s3-xml.ts had it. */
function fastXmlParserPage(): (xml: string) => number {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, ignoreDeclaration: true, isArray: (name) => name === 'Contents' || name === 'CommonPrefixes' });
  return (xml) => {
    const contents = (parser.parse(xml) as { ListBucketResult: { Contents: { Key: string; Size: string; ETag: string }[] } }).ListBucketResult.Contents;
    return contents.map((object) => ({ Key: object.Key, Size: Number(object.Size), ETag: object.ETag })).length;
  };
}

async function child(kind: string, candidate: string): Promise<void> {
  let units = 0;
  if (kind === 'xml') {
    const pages = Array.from({ length: PAGES }, (_, page) => listingPage(page));
    const parse = candidate === 'saxes' ? (xml: string) => parseListObjectsV2(xml).Contents.length : fastXmlParserPage();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const page of pages) units += parse(page);
    report(t0, c0, units);
    return;
  }
  const rng = createRng(7);
  const deflated = Array.from({ length: ENTRIES }, (_, i) => deflateRawSync(textLikeBytes(1000 + Math.floor(rng() * 7000), i + 1)));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const input of deflated) {
    if (candidate === 'inflateRawSync') units += inflateRawSync(input).length;
    else {
      const count = new Writable({
        write(chunk: Buffer, _encoding, done) {
          units += chunk.length;
          done();
        },
      });
      await pipeline(Readable.from([input]), createInflateRaw(), count);
    }
  }
  report(t0, c0, units);
}

function report(t0: number, c0: NodeJS.CpuUsage, units: number): void {
  const used = process.cpuUsage(c0);
  process.stdout.write(`${JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (used.user + used.system) / 1000, units })}\n`);
}

interface Sample {
  kind: string;
  candidate: string;
  round: number;
  wallMs: number;
  cpuMs: number;
  units: number;
}

async function main(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 5);
  const self = fileURLToPath(import.meta.url);
  const machine = describeMachine();
  const samples: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [kind, candidates] of Object.entries(CANDIDATES)) {
      // The order rotates each round, so neither candidate always runs on a cooler machine.
      const order = round % 2 ? [...candidates].reverse() : candidates;
      for (const candidate of order) {
        const run = spawnSync(process.execPath, [self, 'child', kind, candidate], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
        if (run.status !== 0) throw new Error(`${kind} ${candidate} failed: ${run.stderr}`);
        samples.push({ kind, candidate, round, ...(JSON.parse(run.stdout) as Omit<Sample, 'kind' | 'candidate' | 'round'>) });
      }
    }
  }
  // Sanity: every candidate did the whole job (all keys read, all bytes inflated, the same count).
  for (const kind of Object.keys(CANDIDATES)) {
    const units = new Set(samples.filter((s) => s.kind === kind).map((s) => s.units));
    if (units.size !== 1) throw new Error(`${kind}: the candidates disagree on the work done (${[...units].join(', ')})`);
  }
  const commit = gitCommit();
  const lines = [
    '# Hot-path costs: listing parse and small-entry inflate, cold',
    '',
    `Command: \`npm run bench:hot-path\` (ROUNDS=${rounds})  `,
    `Machine: ${machine}; load at the end ${describeLoad()}  `,
    `Commit: ${commit}, ${new Date().toISOString()}  `,
    `Each figure: one fresh Node process per candidate and round (a CLI run is one cold process), the work timed inside it, rounds interleaved with the order rotating; medians of ${rounds}.`,
    '',
    '| job | candidate | wall ms | CPU ms | ratio to the first (CPU) |',
    '|---|---|---|---|---|',
  ];
  for (const [kind, candidates] of Object.entries(CANDIDATES)) {
    const job = kind === 'xml' ? `parse ${PAGES} ListObjectsV2 pages of ${KEYS_PER_PAGE} keys` : `inflate ${ENTRIES} deflated entries of 1–8 KB`;
    const cpuOf = (candidate: string) => median(samples.filter((s) => s.kind === kind && s.candidate === candidate).map((s) => s.cpuMs));
    const wallOf = (candidate: string) => median(samples.filter((s) => s.kind === kind && s.candidate === candidate).map((s) => s.wallMs));
    for (const candidate of candidates) {
      lines.push(`| ${job} | ${candidate} | ${wallOf(candidate).toFixed(1)} | ${cpuOf(candidate).toFixed(1)} | ${(cpuOf(candidate) / cpuOf(candidates[0])).toFixed(2)}× |`);
    }
  }
  const text = `${lines.join('\n')}\n`;
  const results = join(dirname(self), '..', '..', 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, '2026-12-01-hot-path.md'), text);
  process.stdout.write(text);
}

function describeLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

if (process.argv[2] === 'child') await child(process.argv[3]!, process.argv[4]!);
else await main();
