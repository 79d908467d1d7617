// Runs the Lambda handler once, as the Lambda runtime would: configured by the environment, its own
// client, its JSON log lines on stdout. Started by bench/figures/lambda-memory.ts and
// bench/figures/lambda-cost.ts, which read the last line:
//   {"type":"bench-result","result":…,"maxRssKiB":…,"invocationMs":…,"initMs":…,"cpu":{…},"cpusAllowed":…}
// argv: the event as JSON, then optionally the path of a built handler module (another build of
// s3zipsync, e.g. a baseline checkout's dist/src/lambda/handler.js); default: this tree's handler.
// maxRssKiB is the kernel's high-water mark of this process's resident set (getrusage ru_maxrss).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type Handler = (event: unknown) => Promise<unknown>;

const cpuSeconds = (usage: NodeJS.ResourceUsage) => (usage.userCPUTime + usage.systemCPUTime) / 1e6;

const event = JSON.parse(process.argv[2] ?? 'null') as unknown;
const modulePath = process.argv[3];
const initStarted = performance.now();
const { handler } = (await import(modulePath ? pathToFileURL(modulePath).href : '../src/lambda/handler.js')) as { handler: Handler };
// Lambda bills an invocation from the handler call on; loading the module is the (separately billed) init.
const invoked = performance.now();
const atInvoke = process.resourceUsage();
const result = await handler(event);
const invocationMs = performance.now() - invoked;
const atEnd = process.resourceUsage();
// Which cores the kernel lets this process use: proof that a `taskset` pin took effect.
const cpusAllowed = (() => {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? null;
  } catch {
    return null; // not Linux
  }
})();
process.stdout.write(
  `${JSON.stringify({
    type: 'bench-result',
    result,
    maxRssKiB: atEnd.maxRSS,
    initMs: invoked - initStarted,
    invocationMs,
    cpu: { invocationSeconds: cpuSeconds(atEnd) - cpuSeconds(atInvoke), processSeconds: cpuSeconds(atEnd) },
    cpusAllowed,
  })}\n`,
);
