import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDeletions, type ListedKeys } from '../../src/delete/plan-deletions.js';
import { compileEntryFilter } from '../../src/filter/entry-filter.js';

async function* pages(...lists: string[][]): ListedKeys {
  for (const keys of lists) yield { objects: keys.map((key) => ({ key })), inOrder: true };
}

const base = { prefix: 'site/', filter: compileEntryFilter(), deleteExcluded: false, maxDelete: 1000 };

describe('planDeletions', () => {
  it('deletes what is under the prefix and not in the archive, across pages', async () => {
    const plan = await planDeletions({
      ...base,
      listed: pages(['site/index.html', 'site/old.html'], ['site/css/a.css', 'site/css/gone.css']),
      keep: new Set(['site/index.html', 'site/css/a.css']),
    });
    assert.deepEqual(plan, { refused: false, keys: ['site/old.html', 'site/css/gone.css'], listed: 4, protectedByFilter: 0, listingInOrder: true });
  });

  it('never plans a key outside the prefix, even if the listing returns one (site-old/ is not site/)', async () => {
    const plan = await planDeletions({ ...base, listed: pages(['site-old/a', 'other/b', 'site', 'site/x']), keep: new Set() });
    assert.equal(plan.refused, false);
    assert.deepEqual(plan.refused === false && plan.keys, ['site/x']);
  });

  it('keeps keys a filter excludes (aws-cli), unless deleteExcluded (rclone --delete-excluded)', async () => {
    const filter = compileEntryFilter({ rules: [{ exclude: 'uploads/**' }] });
    const listed = () => pages(['site/uploads/u.png', 'site/a/.DS_Store', 'site/stale.html']);
    const kept = await planDeletions({ ...base, filter, listed: listed(), keep: new Set() });
    assert.deepEqual(kept, { refused: false, keys: ['site/stale.html'], listed: 3, protectedByFilter: 2, listingInOrder: true });
    const all = await planDeletions({ ...base, filter, deleteExcluded: true, listed: listed(), keep: new Set() });
    assert.equal(all.refused === false && all.keys.length, 3);
  });

  it('refuses over max-delete with the full count, and at exactly the limit does not', async () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `site/f${i}`);
    const refused = await planDeletions({ ...base, maxDelete: 2499, listed: pages(keys.slice(0, 1000), keys.slice(1000, 2000), keys.slice(2000)), keep: new Set() });
    assert.deepEqual(refused, { refused: true, candidates: 2500, maxDelete: 2499, listed: 2500 });
    const exact = await planDeletions({ ...base, maxDelete: 2500, listed: pages(keys), keep: new Set() });
    assert.equal(exact.refused === false && exact.keys.length, 2500);
    const none = await planDeletions({ ...base, maxDelete: 0, listed: pages(['site/a']), keep: new Set() });
    assert.equal(none.refused, true);
    const nothingToDo = await planDeletions({ ...base, maxDelete: 0, listed: pages(['site/a']), keep: new Set(['site/a']) });
    assert.equal(nothingToDo.refused, false);
  });

  it('counts a key listed twice once, and passes on that the listing was out of order', async () => {
    async function* outOfOrder(): ListedKeys {
      yield { objects: [{ key: 'site/b' }, { key: 'site/a' }], inOrder: false };
      yield { objects: [{ key: 'site/b' }], inOrder: false };
    }
    const plan = await planDeletions({ ...base, listed: outOfOrder(), keep: new Set() });
    assert.deepEqual(plan, { refused: false, keys: ['site/b', 'site/a'], listed: 3, protectedByFilter: 0, listingInOrder: false });
  });
});
