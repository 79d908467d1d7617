// `npm run bench:mirror`: a mirror run of the real CLI against the embedded server (s3rver): an archive
// of 2,000 files (plus 3 junk entries) replaces a prefix that holds 3,000 objects of an older build.
// Reports the run's output (head and tail), its wall time and S3 requests, after checking that the
// prefix holds exactly the archive's files and that nothing outside it was touched.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DEFAULT_MAX_DELETE } from '../../src/internal.js';
import { defineFigure } from '../harness/figure.js';
import { BenchUsageError } from '../harness/flags.js';
import { listKeys } from '../harness/listing.js';
import { withLocalS3 } from '../harness/local-s3.js';
import { zipBuffer } from '../harness/zip.js';
import { runLocalCli, type LocalCliRun } from '../run/s3zipsync-cli.js';

const BUCKET = 'mirror-bench';
const PREFIX = 'site/';
const JUNK = ['.DS_Store', 'p000/.DS_Store', '__MACOSX/p000/._f00000.txt'];
const SIBLING_KEYS = Array.from({ length: 100 }, (_, i) => `site-old/f${i}.txt`);
const OUTSIDE_KEY = 'sitemap.xml';

/** Archive file i lives in folder p<i/100>; the old build's other files in folders that no longer exist. */
const archiveName = (i: number) => `p${String(Math.floor(i / 100)).padStart(3, '0')}/f${String(i).padStart(5, '0')}.txt`;
const staleName = (i: number) => `old${String(Math.floor(i / 100)).padStart(3, '0')}/f${String(i).padStart(5, '0')}.txt`;
const content = (i: number, version: 'old' | 'new', overlap: number) => `file ${i} ${version === 'new' && i >= overlap / 2 ? 'rebuilt with more bytes' : 'as before'}\n`;
const oldKeys = (f: Flags) => Array.from({ length: f.old }, (_, i) => PREFIX + (i < f.overlap ? archiveName(i) : staleName(i)));

interface Step {
  title: string;
  args: string[];
  run: LocalCliRun;
  /** Keys under the prefix, under site-old/, and whether the key outside is still there, after the step. */
  prefixKeys: string[];
  siblingKeys: number;
  outsideKept: boolean;
}

interface Measured {
  seedSeconds: number;
  steps: Step[];
}

const flags = {
  archive: { type: 'integer', min: 1, default: 2000, describe: 'files in the new archive' },
  old: { type: 'integer', min: 1, default: 3000, describe: 'objects under the prefix before the run; the first --overlap share names with archive files' },
  overlap: { type: 'integer', min: 1, default: 1000, describe: 'old objects that share names with archive files: half unchanged, half with a new size' },
} as const;
type Flags = { archive: number; old: number; overlap: number };

export const figure = defineFigure({
  name: 'mirror',
  title: 's3zipsync mirror run (--delete) against the embedded s3rver',
  flags,
  async run(f, context): Promise<Measured> {
    if (f.overlap > f.archive || f.overlap >= f.old) throw new BenchUsageError('--overlap cannot exceed --archive, and must be below --old (something must be deleted)');
    return withLocalS3({ buckets: [BUCKET], keep: context.keep, log: context.log, serverData: context.serverData }, async (s3) => {
      const zipPath = join(s3.workDir, 'site.zip');
      const files = Array.from({ length: f.archive }, (_, i) => ({ name: archiveName(i), data: content(i, 'new', f.overlap) }));
      writeFileSync(zipPath, await zipBuffer([...files, ...JUNK.map((name) => ({ name, data: 'junk' }))]));
      const seeded = performance.now();
      const limit = pLimit(16);
      const seeds = [...oldKeys(f).map((key, i) => [key, content(i, 'old', f.overlap)] as const), ...SIBLING_KEYS.map((key) => [key, 'sibling'] as const), [OUTSIDE_KEY, 'outside'] as const];
      await Promise.all(seeds.map(([Key, Body]) => limit(() => s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body })))));
      const seedSeconds = (performance.now() - seeded) / 1000;
      context.log(`seeded ${seeds.length} objects in ${seedSeconds.toFixed(1)} s`);

      // -v: the verification counts Ignored lines, which only -v prints.
      const args = [zipPath, '--bucket', BUCKET, '--prefix', 'site', '--delete', '-v'];
      const steps: Step[] = [];
      // 1. A --max-delete below the deletions refuses: exit 2, nothing written (the default one when the
      // settings delete more than it allows, as the defaults do). 2. The mirror run.
      const stale = f.old - f.overlap;
      const refusal: [string, string[]] =
        stale > DEFAULT_MAX_DELETE ? ['1. default --max-delete', args] : [`1. --max-delete ${stale - 1}`, [...args, '--max-delete', String(stale - 1)]];
      for (const [title, stepArgs] of [refusal, ['2. mirror', [...args, '--max-delete', String(f.old)]]] as const) {
        const run = await runLocalCli(s3, [...stepArgs], context.signal, 'text');
        steps.push({
          title,
          args: [...stepArgs],
          run,
          prefixKeys: await listKeys(s3.client, BUCKET, PREFIX),
          siblingKeys: (await listKeys(s3.client, BUCKET, 'site-old/')).length,
          outsideKept: (await listKeys(s3.client, BUCKET, OUTSIDE_KEY)).includes(OUTSIDE_KEY),
        });
        context.log(`${title}: exit ${run.timed.exitCode}, ${run.timed.wallSeconds.toFixed(1)} s`);
      }
      return { seedSeconds, steps };
    });
  },
  verify(measured, f) {
    const problems: string[] = [];
    const [refused, mirror] = measured.steps;
    if (!refused || !mirror) return ['the runs did not finish'];
    if (refused.run.timed.exitCode !== 2) problems.push(`refused run: exit ${refused.run.timed.exitCode}, expected 2`);
    const old = new Set(oldKeys(f));
    if (refused.prefixKeys.length !== f.old || refused.prefixKeys.some((key) => !old.has(key))) problems.push('the refused run changed the prefix');
    if (mirror.run.timed.exitCode !== 0) problems.push(`mirror run: exit ${mirror.run.timed.exitCode}`);
    const expected = Array.from({ length: f.archive }, (_, i) => PREFIX + archiveName(i)).sort();
    const stored = [...mirror.prefixKeys].sort();
    if (stored.length !== expected.length || stored.some((key, i) => key !== expected[i])) problems.push(`prefix holds ${stored.length} keys; expected exactly the ${expected.length} archive files`);
    if (mirror.siblingKeys !== SIBLING_KEYS.length) problems.push(`site-old/ holds ${mirror.siblingKeys} keys, expected ${SIBLING_KEYS.length}`);
    if (!mirror.outsideKept) problems.push(`${OUTSIDE_KEY} is gone`);
    const lines = mirror.run.timed.stdout.split('\n');
    const expectLines = (start: string, want: number) => {
      const got = lines.filter((line) => line.startsWith(`${start} `)).length;
      if (got !== want) problems.push(`${start}: ${got} lines, expected ${want}`);
    };
    expectLines('Deleted!', f.old - f.overlap);
    expectLines('New!', f.archive - f.overlap);
    expectLines('Updated!', f.overlap - Math.floor(f.overlap / 2));
    expectLines('Ignored', Math.floor(f.overlap / 2));
    expectLines('Excluded', JUNK.length);
    return problems;
  },
  report(measured, f) {
    const out = [
      `- seeded s3://${BUCKET}/${PREFIX} with ${f.old} objects (${f.overlap} share names with the archive), plus ${SIBLING_KEYS.length} under site-old/ and ${OUTSIDE_KEY}, in ${measured.seedSeconds.toFixed(1)} s`,
      `- archive: ${f.archive} files + ${JUNK.length} junk entries (${JUNK.join(', ')})`,
      '',
    ];
    for (const step of measured.steps) {
      const shown = step.args.map((arg) => (arg.endsWith('.zip') ? 'site.zip' : arg)).join(' ');
      out.push(`### ${step.title}: \`s3zipsync ${shown}\``, '', `exit ${step.run.timed.exitCode}, ${step.run.timed.wallSeconds.toFixed(1)} s wall`, '', '```');
      const lines = step.run.timed.stdout.trimEnd().split('\n').filter(Boolean);
      const firstOf = (start: string) => lines.filter((line) => line.startsWith(start)).slice(0, 2);
      const sample = ['New! ', 'Updated! ', 'Ignored ', 'Excluded ', 'Deleted! '].flatMap(firstOf);
      if (sample.length) out.push(...sample, '…');
      const summaryAt = lines.findIndex((line) => line.startsWith('Summary: '));
      if (summaryAt >= 0) out.push(...lines.slice(summaryAt));
      const stderr = step.run.timed.stderr.trimEnd();
      if (stderr) out.push('stderr:', ...stderr.split('\n'));
      out.push('```', '');
    }
    return out.join('\n');
  },
});
