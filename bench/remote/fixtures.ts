import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeTreeFixture, type TreeFixture } from '../fixtures/tree-fixture.js';
import { fixtureKey } from './plan.js';
import type { CaseSpec } from './types.js';

export type FolderFixture = TreeFixture & { folder: string };

/**
 * The fixtures of a run, written when first needed (the zip for s3zipsync, the same files extracted
 * for the peers) and removed after the last case that uses them: 100,000 small files take ~400 MB
 * of disk in blocks.
 */
export class FixtureStore {
  private readonly written = new Map<string, FolderFixture>();

  constructor(
    private readonly dir: string,
    private readonly sizes: { min: number; max: number },
    private readonly log: (message: string) => void,
  ) {}

  async get(spec: Pick<CaseSpec, 'files' | 'folders'>): Promise<FolderFixture> {
    const key = fixtureKey(spec);
    const known = this.written.get(key);
    if (known) return known;
    const dir = join(this.dir, key);
    mkdirSync(dir, { recursive: true });
    this.log(`writing the fixture ${spec.files} files of ${this.sizes.min}–${this.sizes.max} B in ${spec.folders} folder(s)`);
    const fixture = await writeTreeFixture(
      { smallFiles: spec.files, folders: spec.folders, smallMinBytes: this.sizes.min, smallMaxBytes: this.sizes.max, bigFiles: 0, bigBytes: 0 },
      join(dir, 'fixture.zip'),
      join(dir, 'files'),
    );
    const withFolder = { ...fixture, folder: fixture.folder! };
    this.written.set(key, withFolder);
    return withFolder;
  }

  release(spec: Pick<CaseSpec, 'files' | 'folders'>): void {
    const key = fixtureKey(spec);
    if (!this.written.delete(key)) return;
    rmSync(join(this.dir, key), { recursive: true, force: true });
  }
}
