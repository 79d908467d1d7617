// Runs the Lambda handler once, as the Lambda runtime would: configured by the environment, its own
// client, its JSON log lines on stdout. Started by bench/figures/lambda-memory.ts, which reads the last line:
//   {"type":"bench-result","result":…,"maxRssKiB":…}
// maxRssKiB is the kernel's high-water mark of this process's resident set (getrusage ru_maxrss).
import { handler } from '../src/lambda/handler.js';

const event = JSON.parse(process.argv[2] ?? 'null') as unknown;
const result = await handler(event);
process.stdout.write(`${JSON.stringify({ type: 'bench-result', result, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
