// Runs examples/lambda/state-machine.asl.json locally, end to end, as the tests do:
//   npm run workflow:local -- build.zip                       (embedded S3 server, started and stopped here)
//   npm run workflow:local -- build.zip --shard-entries 1000  (smaller shards, to see the Map at work)
//   npm run workflow:local -- build.zip --endpoint http://localhost:4566 --incoming-bucket in --target-bucket out
// Prints one JSON line per Lambda invocation, then the execution's output or error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLocally } from './local-run.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string' },
    'incoming-bucket': { type: 'string' },
    'target-bucket': { type: 'string' },
    key: { type: 'string' },
    'shard-entries': { type: 'string' },
    'shard-bytes': { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const [zipPath] = positionals;
if (!zipPath && !values.key) {
  process.stderr.write('usage: npm run workflow:local -- <file.zip> [--shard-entries N] [--shard-bytes N] [--endpoint URL --incoming-bucket B --target-bucket B] [--key huge/x.zip]\n');
  process.exit(2);
}
const key = values.key ?? `huge/${path.basename(zipPath!)}`;
const run = await runLocally({
  ...(zipPath ? { zip: readFileSync(zipPath) } : {}),
  key,
  ...(values.endpoint ? { endpoint: values.endpoint } : {}),
  ...(values['incoming-bucket'] ? { incomingBucket: values['incoming-bucket'] } : {}),
  ...(values['target-bucket'] ? { targetBucket: values['target-bucket'] } : {}),
  planEnv: {
    ...(values['shard-entries'] ? { SHARD_ENTRIES: values['shard-entries'] } : {}),
    ...(values['shard-bytes'] ? { SHARD_BYTES: values['shard-bytes'] } : {}),
  },
  syncEnv: values.concurrency ? { CONCURRENCY: values.concurrency } : {},
});
for (const invocation of run.invocations) {
  const result = invocation.result as { count?: number; archives?: Array<{ report?: { counts: unknown; requests: unknown } }>; name?: string; message?: string };
  const summary =
    invocation.outcome === 'threw'
      ? { error: result.name, message: result.message }
      : invocation.state === 'Plan'
        ? result
        : { complete: (result as { complete: boolean }).complete, counts: result.archives?.[0]?.report?.counts, requests: result.archives?.[0]?.report?.requests };
  process.stdout.write(`${JSON.stringify({ state: invocation.state, payload: invocation.payload, attempt: invocation.attempt, ms: invocation.ms, ...summary })}\n`);
}
if (run.error) {
  process.stdout.write(`${JSON.stringify({ execution: 'FAILED', ms: run.ms, ...run.error })}\n`);
  process.exitCode = 1;
} else {
  const output = run.output as { count: number; files: number; bytes: number; results: Array<{ complete: boolean }> };
  process.stdout.write(`${JSON.stringify({ execution: 'SUCCEEDED', ms: run.ms, shards: output.count, files: output.files, bytes: output.bytes, complete: output.results.every((r) => r.complete) })}\n`);
}
