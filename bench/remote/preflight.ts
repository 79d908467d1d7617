import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipBuffer } from '../harness/zip.js';
import type { Tool } from '../peers/peers.js';
import { runTimedProcess } from '../run/timed-process.js';
import { readOutcome } from './outcome.js';
import type { BenchServer } from './server.js';

/**
 * Runs each s3zipsync tool once on a two-file zip, straight to the server, before any timed run: a
 * variant whose flags this build does not know (exit 2, USAGE) is named here, in one line, instead
 * of failing every run of every case. Returns the refused tools with s3zipsync's message.
 */
export async function refusedVariants(tools: readonly Tool[], server: BenchServer, workDir: string, runId: string): Promise<Map<string, string>> {
  const dir = join(workDir, 'preflight');
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, 'tiny.zip');
  writeFileSync(zipPath, await zipBuffer([{ name: 'a.txt', data: 'a' }, { name: 'b/c.txt', data: 'bc' }]));
  const refused = new Map<string, string>();
  for (const [i, tool] of tools.filter((t) => t.isS3ZipSync).entries()) {
    const bucket = `${runId}-preflight-${i}`;
    await server.client.send(new CreateBucketCommand({ Bucket: bucket }));
    try {
      const command = tool.command({ endpoint: server.endpoint, bucket, prefix: 'p/', folder: dir, zipPath, workDir: dir, credentials: server.credentials });
      const result = await runTimedProcess(command.file, command.args, { env: command.env, cwd: dir });
      const outcome = readOutcome(tool, result.exitCode, result.stdout, result.stderr);
      if (outcome.usageError !== undefined) refused.set(tool.name, `exit ${result.exitCode}: ${outcome.usageError}`);
      else if (result.exitCode !== 0) refused.set(tool.name, `exit ${result.exitCode} on a two-file zip: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    } finally {
      await server.dropBucket(bucket);
    }
  }
  return refused;
}
