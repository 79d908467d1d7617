import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachBounded } from '../../src/for-each-bounded.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachBounded', () => {
  it('runs every item once, never more than the window at a time', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded(Array.from({ length: 100 }, (_, i) => i), 7, async (item) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < (item % 5) + 1; i++) await tick();
      seen.push(item);
      running--;
    });
    assert.equal(peak, 7);
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  });

  it('items settled at once take no room: they are handled while the window is full', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const done = forEachBounded(
      [1, 2, 3, 4, 5],
      1,
      async (item) => {
        order.push(`task ${item}`);
        if (item === 1) await held;
      },
      (item) => {
        if (item % 2 === 1) return false;
        order.push(`now ${item}`);
        return true;
      },
    );
    await tick();
    assert.deepEqual(order, ['task 1', 'now 2'], 'item 3 waits for room; 2 did not');
    release();
    await done;
    assert.deepEqual(order, ['task 1', 'now 2', 'task 3', 'now 4', 'task 5']);
  });

  it('takes items from the iterable only as room frees up', async () => {
    let pulled = 0;
    function* items() {
      for (let i = 0; i < 50; i++) {
        pulled++;
        yield i;
      }
    }
    const pulledWhenFirstEnds: number[] = [];
    await forEachBounded(items(), 4, async () => {
      await tick();
      if (pulledWhenFirstEnds.length === 0) pulledWhenFirstEnds.push(pulled);
    });
    // The window's 4, plus the one item that waits for room.
    assert.equal(pulledWhenFirstEnds[0], 5);
    assert.equal(pulled, 50);
  });

  it('an empty iterable resolves at once', async () => {
    await forEachBounded([], 3, async () => assert.fail('no item'));
  });
});
