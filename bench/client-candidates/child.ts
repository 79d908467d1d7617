/**
 * One candidate, one round: HEADs (half of them for missing keys) then small PUTs at a fixed
 * concurrency, timed after a warm-up. CPU is this process's own (user+sys), so the server's work,
 * which runs in another process, is not in it. Prints one JSON line.
 */
import { createCandidate, type CandidateName, type Target } from './candidates.js';

const [name, targetJson, countText, roundText] = process.argv.slice(2);
const target = JSON.parse(targetJson!) as Target & { seeded: number };
const count = Number(countText);
const round = Number(roundText);
const candidate = await createCandidate(name as CandidateName, target);
const body = Buffer.alloc(4096, 'x');

async function pool(n: number, job: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: target.concurrency }, async () => {
    while (next < n) await job(next++);
  }));
}

async function timed(n: number, job: (i: number) => Promise<unknown>) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await pool(n, job);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

let found = 0;
const headKey = (i: number) => (i % 2 === 0 ? `seed/${(i / 2) % target.seeded}` : `missing/${name}/${round}/${i}`);
await pool(50, (i) => candidate.head(headKey(i)));
await pool(50, (i) => candidate.put(`warm/${name}/${round}/${i}`, body));
const head = await timed(count, async (i) => {
  if ((await candidate.head(headKey(i))) !== null) found++;
});
const put = await timed(count, (i) => candidate.put(`put/${name}/${round}/${i}`, body));
candidate.close();
if (found !== count / 2) throw new Error(`${name}: ${found} of ${count} HEADs found an object, expected ${count / 2}`);
process.stdout.write(`${JSON.stringify({ name, round, head, put })}\n`);
