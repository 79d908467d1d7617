import { accessSync, constants, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/**
 * Where the embedded server keeps its objects during a bench. `memory` (tmpfs, /dev/shm) by
 * default: on these VMs s3rver's writes to the ext4 disk (mounted with `discard`, shared) doubled
 * every tool's first-sync time once earlier runs' buckets had been deleted (bench/results/
 * 2026-12-01-server-data.md), so the figures measured the disk more than the clients. Real S3 has
 * no such cost on the client's machine. `disk` keeps the old placement, beside the bench's files.
 */
export type ServerDataPlace = 'memory' | 'disk';

export const SERVER_DATA_PLACES = ['memory', 'disk'] as const;

const MEMORY_ROOT = '/dev/shm';

/** `memory` where a writable tmpfs exists, else `disk`. */
export function defaultServerDataPlace(): ServerDataPlace {
  try {
    if (!statSync(MEMORY_ROOT).isDirectory()) return 'disk';
    accessSync(MEMORY_ROOT, constants.W_OK);
    return 'memory';
  } catch {
    return 'disk';
  }
}

/** A fresh folder for the server's data: in tmpfs for `memory`, under `diskParent` for `disk`. */
export function makeServerDataDir(place: ServerDataPlace, diskParent: string): string {
  return mkdtempSync(join(place === 'memory' ? MEMORY_ROOT : diskParent, 's3zipsync-bench-s3-'));
}

/** The line a report carries about it. */
export function describeServerData(place: ServerDataPlace): string {
  return place === 'memory' ? `s3rver data in memory (tmpfs ${MEMORY_ROOT})` : `s3rver data on disk (${os.tmpdir()})`;
}

/** For the scripted benches: S3ZIPSYNC_BENCH_SERVER_DATA=memory|disk, else the default. */
export function serverDataPlaceFromEnv(env: NodeJS.ProcessEnv = process.env): ServerDataPlace {
  const wanted = env.S3ZIPSYNC_BENCH_SERVER_DATA;
  if (wanted === undefined || wanted === '') return defaultServerDataPlace();
  if (wanted === 'memory' || wanted === 'disk') return wanted;
  throw new Error(`S3ZIPSYNC_BENCH_SERVER_DATA must be memory or disk, got ${JSON.stringify(wanted)}`);
}
