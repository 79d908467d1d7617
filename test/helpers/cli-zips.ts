import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeZip } from './zip-fixtures.js';

/** The two zips the CLI's pipeline tests run: one file, and 400 (enough to still be syncing when a reader goes away). */
export interface CliZips {
  /** A temporary folder of the test's own, removed with the zips. */
  dir: string;
  smallZip: string;
  manyZip: string;
  remove(): void;
}

export async function writeCliZips(name: string): Promise<CliZips> {
  const dir = mkdtempSync(join(tmpdir(), `s3zipsync-${name}-`));
  const smallZip = join(dir, 'small.zip');
  writeFileSync(smallZip, await makeZip([{ name: 'a.txt', data: 'a' }]));
  const manyZip = join(dir, 'many.zip');
  writeFileSync(manyZip, await makeZip(Array.from({ length: 400 }, (_, i) => ({ name: `f/${i}.txt`, data: `file ${i}` }))));
  return { dir, smallZip, manyZip, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
