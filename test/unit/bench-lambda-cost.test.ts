import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeLambdaCost, checkRun, gbSeconds, perFiles, roundOrder, type CostResult, type CostRun } from '../../bench/lambda-cost/analyze.js';
import { renderLambdaCost } from '../../bench/lambda-cost/print.js';

const tally = (byOperation: Record<string, number>, errors: Record<string, number> = {}) => ({ byOperation, errors, total: Object.values(byOperation).reduce((a, b) => a + b, 0) });

function run(build: CostRun['build'], job: CostRun['job'], round: number, invocationSeconds: number, cpuInvocationSeconds: number, requests = tally({ PutObject: 5000, GetObject: 3 })): CostRun {
  return {
    build, job, round, position: 0, invocationSeconds, initSeconds: 0.5, processWallSeconds: invocationSeconds + 0.6,
    cpuInvocationSeconds, cpuProcessSeconds: cpuInvocationSeconds + 0.5, peakRssMiB: 100 + round, requests, counts: { new: 5000 }, problems: [],
  };
}

const result: CostResult = {
  files: 5000,
  memoryMb: 1024,
  rounds: 3,
  warmup: 0,
  builds: [
    { name: 'before', handlerPath: '/base/handler.js', commit: 'f6c3f43' },
    { name: 'after', handlerPath: '/here/handler.js', commit: 'abc1234' },
  ],
  pin: { core: 1 },
  runs: [
    run('before', 'first', 0, 12, 9),
    run('before', 'first', 1, 10, 8),
    run('before', 'first', 2, 11, 7),
    run('after', 'first', 0, 6, 3),
    run('after', 'first', 1, 5, 4, tally({ PutObject: 5000, GetObject: 4 })),
    run('after', 'first', 2, 4, 5),
    run('before', 'no-change', 0, 2, 1, tally({ ListObjectsV2: 5 })),
    run('after', 'no-change', 0, 1, 1, tally({ ListObjectsV2: 5 })),
  ],
};

describe('lambda cost arithmetic', () => {
  it('bills configured memory (1024 MB to the GB) × duration rounded up to the millisecond', () => {
    assert.equal(gbSeconds(1024, 10), 10);
    assert.equal(gbSeconds(1769, 2), (1769 / 1024) * 2);
    assert.equal(gbSeconds(512, 0.0101), 0.5 * 0.011);
    // Float noise must not bill a whole extra millisecond: 0.1 + 0.2 s is 300 ms.
    assert.equal(gbSeconds(1024, 0.1 + 0.2), 0.3);
  });

  it('scales to 10,000 files and refuses an empty fixture', () => {
    assert.equal(perFiles(2, 5000), 4);
    assert.equal(perFiles(3, 30_000), 1);
    assert.throws(() => perFiles(1, 0), RangeError);
  });

  it('rotates the build order each round', () => {
    assert.deepEqual(roundOrder(['before', 'after'], 0), ['before', 'after']);
    assert.deepEqual(roundOrder(['before', 'after'], 1), ['after', 'before']);
    assert.deepEqual(roundOrder(['before', 'after'], 2), ['before', 'after']);
    assert.deepEqual(roundOrder(['after'], 1), ['after']);
  });
});

describe('lambda cost analysis', () => {
  const [first, noChange] = analyzeLambdaCost(result);

  it('takes medians per build and job and derives GB-s and CPU per 10,000 files from them', () => {
    assert.equal(first!.before!.invocationSeconds, 11);
    assert.equal(first!.before!.gbSecondsPer10k, 22); // 1 GB × 11 s × 10,000 / 5,000
    assert.equal(first!.before!.cpuSecondsPer10k, 16);
    assert.equal(first!.after!.gbSecondsPer10k, 10);
    assert.equal(first!.after!.cpuSecondsPer10k, 8);
    assert.equal(first!.after!.cpuBoundGbSecondsPer10k, 8); // 1 GB × 4 s CPU × 10,000 / 5,000
    assert.equal(first!.after!.runs, 3);
    assert.equal(noChange!.before!.runs, 1);
  });

  it('gives after/before of the medians and per round', () => {
    assert.equal(first!.gbSecondsRatio, 10 / 22);
    assert.equal(first!.cpuRatio, 0.5);
    assert.deepEqual(first!.pairedGbSecondsRatios, [6 / 12, 5 / 10, 4 / 11]);
    assert.deepEqual(first!.pairedCpuRatios, [3 / 9, 4 / 8, 5 / 7]);
    assert.equal(noChange!.gbSecondsRatio, 0.5);
  });

  it('reports the run with the median request total and the spread', () => {
    assert.equal(first!.after!.requests.total, 5003);
    assert.equal(first!.after!.requestsMin, 5003);
    assert.equal(first!.after!.requestsMax, 5004);
  });

  it('leaves warm-up rounds out of the medians', () => {
    const [warm] = analyzeLambdaCost({ ...result, warmup: 1 });
    assert.equal(warm!.before!.invocationSeconds, 10.5);
    assert.equal(warm!.pairedCpuRatios.length, 2);
  });

  it('has no ratio with one build', () => {
    const [only] = analyzeLambdaCost({ ...result, builds: [result.builds[1]!], runs: result.runs.filter((r) => r.build === 'after') });
    assert.equal(only!.before, null);
    assert.equal(only!.gbSecondsRatio, null);
    assert.deepEqual(only!.pairedGbSecondsRatios, []);
  });
});

describe('lambda cost run checks', () => {
  const good = {
    job: 'first' as const,
    files: 3,
    exitCode: 0,
    complete: true,
    counts: { new: 3, updated: 0, ignored: 0, failed: 0 },
    reportedRequests: { PutObject: 3, HeadObject: 1 },
    proxied: tally({ PutObject: 3, HeadObject: 1 }, { 'HeadObject 404': 1 }),
    pinnedCore: 1,
    cpusAllowed: '1',
  };

  it('passes a run whose counts, requests and pin are right (a 404 is an answer, not an error)', () => {
    assert.deepEqual(checkRun(good), []);
  });

  it('names each thing that is wrong', () => {
    assert.match(checkRun({ ...good, counts: { new: 2, failed: 1 } }).join(), /expected 3 new/);
    assert.match(checkRun({ ...good, job: 'no-change' }).join(), /expected 3 ignored/);
    assert.match(checkRun({ ...good, complete: false }).join(), /incomplete/);
    assert.match(checkRun({ ...good, reportedRequests: { PutObject: 3 } }).join(), /reports 3 requests, the proxy saw 4/);
    assert.match(checkRun({ ...good, proxied: tally({ PutObject: 3, HeadObject: 1 }, { 'PutObject 503': 2 }) }).join(), /PutObject 503 × 2/);
    assert.match(checkRun({ ...good, cpusAllowed: '0-1' }).join(), /may run on 0-1/);
    assert.match(checkRun({ ...good, exitCode: 1, counts: null }).join(), /exited with 1.*no report/);
    assert.deepEqual(checkRun({ ...good, pinnedCore: null, cpusAllowed: '0-1' }), []);
  });

  it('refuses a write on a no-change run', () => {
    const problems = checkRun({ ...good, job: 'no-change', counts: { ignored: 3 }, reportedRequests: { PutObject: 1 }, proxied: tally({ PutObject: 1 }) });
    assert.deepEqual(problems, ['wrote on a no-change run: PutObject 1']);
  });
});

describe('lambda cost report', () => {
  const extras = { fixture: '5000 files', zipBytes: 9e6, storedChecks: [] };

  it('prints the medians, the ratios and the pin', () => {
    const text = renderLambdaCost(result, extras);
    assert.match(text, /\| first sync \(all new\) \| before \| 11\.00 \| 22\.00 \| 8\.00 \| 16\.00 \| 16\.00 \| 101 \|/);
    assert.match(text, /\| first sync \(all new\) \| 0\.45× \| 0\.50× \|/);
    assert.match(text, /pinned to core 1/);
    assert.match(text, /round 2: after, before/);
  });

  it('prints no ratio table with one build, and says when the children were not pinned', () => {
    const text = renderLambdaCost({ ...result, builds: [result.builds[1]!], runs: result.runs.filter((r) => r.build === 'after'), pin: { unpinned: 'taskset not available' } }, extras);
    assert.doesNotMatch(text, /after \/ before/);
    // Unpinned, CPU time can exceed wall time: no CPU-bound floor is offered.
    assert.doesNotMatch(text, /CPU-bound/);
    assert.match(text, /NOT pinned \(taskset not available\)/);
  });
});
