import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterAnswer, afterSlowDown, GROWTH_INTERVAL_MS, MIN_WINDOW, OPEN_WINDOW, WINDOW_BACKOFF } from '../../src/s3/throttle/aimd-window.js';
import { isSlowDown } from '../../src/s3/throttle/slow-down.js';
import { ThrottleController, type Permit } from '../../src/s3/throttle/throttle-controller.js';
import { S3TransportError } from '../../src/s3/transport/transport-error.js';
import { withEntryRetries } from '../../src/upload/retry-entry.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { sdkError } from '../helpers/sdk-errors.js';

describe('the AIMD window', () => {
  it('is open (no limit) until the first slow-down, and answers do not close it', () => {
    assert.equal(afterAnswer(OPEN_WINDOW, 256, 1_000).limit, Number.POSITIVE_INFINITY);
  });

  it('cuts from what was in flight at the first slow-down', () => {
    const cut = afterSlowDown(OPEN_WINDOW, 0, 64, 100, 0);
    assert.equal(cut.limit, 64 * WINDOW_BACKOFF);
    assert.equal(cut.cutAt, 100);
  });

  it('cuts once per window: slow-downs of requests started before the cut are the same congestion', () => {
    const cut = afterSlowDown(OPEN_WINDOW, 0, 64, 100, 0);
    assert.deepEqual(afterSlowDown(cut, 99, 40, 120, 10), cut);
    assert.equal(afterSlowDown(cut, 100, 40, 120, 10).limit, cut.limit * WINDOW_BACKOFF);
  });

  it('never goes below one request in flight', () => {
    let state = afterSlowDown(OPEN_WINDOW, 0, 2, 1, 0);
    for (let seq = 1; seq < 20; seq++) state = afterSlowDown(state, seq, 1, seq + 1, seq);
    assert.equal(state.limit, MIN_WINDOW);
  });

  it('grows by one per window of answers, at most one per growth interval, up to the maximum', () => {
    const cut = { limit: 4, cutAt: 10, grownAt: 0 };
    // Four answers in quick succession: a quarter each, but time allows only a little.
    let state = cut;
    for (let i = 0; i < 4; i++) state = afterAnswer(state, 100, 10);
    assert.ok(state.limit > 4 && state.limit <= 4 + 10 / GROWTH_INTERVAL_MS + 1e-9, `limit ${state.limit}`);
    // Spread out in time: about one per window of answers.
    state = cut;
    for (let i = 1; i <= 4; i++) state = afterAnswer(state, 100, i * GROWTH_INTERVAL_MS);
    assert.ok(Math.abs(state.limit - 5) < 0.1, `limit ${state.limit}`);
    assert.equal(afterAnswer({ limit: 8, cutAt: 0, grownAt: 0 }, 8, 10_000).limit, 8);
  });
});

describe('isSlowDown', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['SDK 503 SlowDown', sdkError('SlowDown', 503), true],
    ['a bodiless 503 (HEAD)', new S3TransportError({ name: 'Unknown', message: 'UnknownError', status: 503 }), true],
    ['429', sdkError('TooManyRequests', 429), true],
    ['RequestLimitExceeded (other S3-compatible servers)', sdkError('RequestLimitExceeded', 400), true],
    ['500 InternalError', sdkError('InternalError', 500), false],
    ['403 AccessDenied', sdkError('AccessDenied', 403), false],
    ['a network error', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), false],
    ['not an error', undefined, false],
  ];
  for (const [label, error, expected] of cases) it(`${label} → ${expected}`, () => assert.equal(isSlowDown(error), expected));
});

/** A controller on a clock the test moves, with backoffs that do not wait. */
function controller(pacer: 'window' | 'rate' | 'both' = 'window', stallTimeoutMs = 30_000) {
  const clock = { now: 0 };
  const throttle = new ThrottleController({ pacer, stallTimeoutMs, maxInFlight: 1024, now: () => clock.now, random: () => 0 });
  return { throttle, clock };
}

async function acquireMany(throttle: ThrottleController, n: number): Promise<Permit[]> {
  const permits: Permit[] = [];
  for (let i = 0; i < n; i++) permits.push(await throttle.acquire());
  return permits;
}

describe('ThrottleController', () => {
  it('lets any number of requests go while S3 has not asked to slow down', async () => {
    const { throttle } = controller();
    const permits = await acquireMany(throttle, 500);
    for (const permit of permits) permit.done('answered');
    assert.deepEqual(throttle.stats(), { pacer: 'window', slowDowns: 0, gaveUp: 0 });
  });

  it('backs off on a slow-down: fewer requests in flight, the others wait their turn', async () => {
    const { throttle } = controller();
    const permits = await acquireMany(throttle, 10);
    assert.equal(await permits[0]!.slowedDown(1), true);
    const limit = throttle.stats().inFlightLimit!;
    assert.equal(limit, 7);
    // 9 still in flight: a new request waits until enough of them are answered.
    let started = false;
    const waiting = throttle.acquire().then((permit) => {
      started = true;
      return permit;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started, false);
    for (const permit of permits.slice(1, 3)) permit.done('answered');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started, false, '7 in flight, limit 7');
    permits[3]!.done('answered');
    (await waiting).done('answered');
    assert.equal(started, true);
  });

  it('climbs back while answers are good', async () => {
    const { throttle, clock } = controller();
    const [first, ...others] = await acquireMany(throttle, 10);
    await first!.slowedDown(1);
    for (const permit of others) permit.done('answered');
    const cut = throttle.stats().inFlightLimit!;
    for (let i = 0; i < 200; i++) {
      clock.now += 50;
      (await throttle.acquire()).done('answered');
    }
    assert.ok(throttle.stats().inFlightLimit! > cut + 5, `${throttle.stats().inFlightLimit} after ${cut}`);
  });

  it('counts slow-downs and the rate the run settled at', async () => {
    const { throttle, clock } = controller();
    const permits = await acquireMany(throttle, 3);
    await permits[0]!.slowedDown(1);
    clock.now += 1_000;
    permits[1]!.done('answered');
    permits[2]!.done('answered');
    const stats = throttle.stats();
    assert.equal(stats.slowDowns, 1);
    assert.equal(stats.settledRate, 2);
  });

  it('gives up on a slow-down only once nothing was answered for the stall timeout', async () => {
    const { throttle, clock } = controller('window', 5_000);
    const [a, b] = await acquireMany(throttle, 2);
    clock.now = 4_000;
    assert.equal(await a!.slowedDown(1), true);
    clock.now = 6_000;
    assert.equal(await b!.slowedDown(1), false);
    assert.equal(throttle.stats().gaveUp, 1);
    // The same slow-down given up on by the request and then by its entry's retry loop counts once.
    const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
    const [d] = await acquireMany(throttle, 1);
    assert.equal(await d!.slowedDown(1, undefined, slowDown), false);
    assert.equal(await throttle.mayRetryAfterSlowDown(1, undefined, slowDown), false);
    assert.equal(throttle.stats().gaveUp, 2);
    (await throttle.acquire()).done('answered');
    const [c] = await acquireMany(throttle, 1);
    assert.equal(await c!.slowedDown(1), true, 'an answer restarts the stall clock');
  });

  it('a failed attempt (network error) neither cuts nor grows the window', async () => {
    const { throttle } = controller();
    const [a, b] = await acquireMany(throttle, 2);
    await a!.slowedDown(1);
    const limit = throttle.stats().inFlightLimit;
    b!.done('failed');
    assert.equal(throttle.stats().inFlightLimit, limit);
  });

  it('an abort while waiting for a slot rejects with the signal reason and takes no slot', async () => {
    const { throttle } = controller();
    const permits = await acquireMany(throttle, 2);
    await permits[0]!.slowedDown(1);
    const abort = new AbortController();
    const waiting = throttle.acquire(abort.signal);
    abort.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
    permits[1]!.done('answered');
    (await throttle.acquire()).done('answered');
  });

  it('`rate` paces with the SDK rate limiter and reports no window', async () => {
    const { throttle } = controller('rate');
    const [a] = await acquireMany(throttle, 1);
    await a!.slowedDown(1);
    assert.equal(throttle.stats().inFlightLimit, undefined);
    assert.equal(throttle.stats().slowDowns, 1);
  });
});

describe('withEntryRetries under the pacer', () => {
  const client = () => createS3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 2 });
  const slowDown = () => new S3ZipSyncError('S3_ERROR', 'upload failed', { cause: sdkError('SlowDown', 503) });

  it('retries slow-downs beyond maxAttempts: they spend none of the retry budget', async () => {
    const { throttle } = controller();
    let attempts = 0;
    const result = await withEntryRetries(client(), async () => {
      if (++attempts <= 5) throw slowDown();
      return 'stored';
    }, undefined, throttle);
    assert.equal(result, 'stored');
    assert.equal(attempts, 6);
  });

  it('still gives up a failing server after maxAttempts', async () => {
    const { throttle } = controller();
    let attempts = 0;
    await assert.rejects(
      withEntryRetries(client(), async () => {
        attempts++;
        throw new S3ZipSyncError('S3_ERROR', 'upload failed', { cause: sdkError('InternalError', 500) });
      }, undefined, throttle),
      /upload failed/,
    );
    assert.equal(attempts, 2);
  });

  it('gives up a slow-down once nothing was answered for the stall timeout', async () => {
    const { throttle, clock } = controller('window', 1_000);
    let attempts = 0;
    await assert.rejects(
      withEntryRetries(client(), async () => {
        attempts++;
        clock.now += 600;
        throw slowDown();
      }, undefined, throttle),
      /upload failed/,
    );
    assert.equal(attempts, 2);
  });
});
