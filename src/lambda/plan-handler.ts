import type { S3Client } from '@aws-sdk/client-s3';
import { S3ZipSyncError } from '../errors.js';
import { compileEntryFilter } from '../filter/entry-filter.js';
import { createS3Client } from '../s3/create-client.js';
import { describeS3Error, redactSecrets } from '../s3/s3-error.js';
import { attachRequestCounter, type RequestCounts } from '../s3/request-counter.js';
import type { Shard } from '../shard.js';
import { selectEntries } from '../sync/select-entries.js';
import { openArchive } from '../zip/open-archive.js';
import { readNameOptions, readShardRule } from './config.js';
import { directoryParts } from './directory-parts.js';
import { jsonLinesToStdout, type Log } from './log.js';
import { planShards } from './shard-plan.js';
import { SyncFailedError } from './sync-failed.js';

export interface PlanEvent {
  bucket: string;
  key: string;
  /** The most shards the caller runs at once (the Map's MaxConcurrency); default `MAX_SHARDS`, else 16. */
  maxShards?: number;
}

export interface PlanResult {
  bucket: string;
  key: string;
  /**
   * The shard count, and each shard as the sync handler's event takes it: with its part of the
   * central directory (and the ETag of the zip it was read from) when there are several.
   */
  count: number;
  shards: Shard[];
  /** File entries the sync would write (junk such as `.DS_Store` left out, as the sync does) and their bytes. */
  files: number;
  bytes: number;
  /** What reading the central directory cost: HeadObject 1, GetObject a few. */
  requests: RequestCounts;
}

export interface PlanHandlerDependencies {
  client?: S3Client;
  env?: Record<string, string | undefined>;
  log?: Log;
}

export type PlanHandler = (event: unknown) => Promise<PlanResult>;

/**
 * The first step of the sharded workflow: reads only the archive's central directory (ranged GETs
 * of its tail, as the sync does) and returns how many shards to run and the shards themselves. The
 * archive is validated whole, with the names options the sync uses, so a broken zip fails here,
 * once. That is also where the checks that need every entry are made (duplicate names, overlapping
 * entries, the entry count and total size limits): each shard of several is given only its part of
 * the directory (see directory-parts.ts), checks that part's entries, and reads the zip pinned to
 * the ETag validated here.
 */
export function createPlanHandler(dependencies: PlanHandlerDependencies = {}): PlanHandler {
  let client = dependencies.client;
  const log = dependencies.log ?? jsonLinesToStdout;
  return async (event) => {
    try {
      const { bucket, key, maxShards } = readPlanEvent(event);
      const env = dependencies.env ?? process.env;
      const rule = readShardRule(env, maxShards);
      const names = readNameOptions(env);
      client ??= createS3Client();
      const counter = attachRequestCounter(client);
      try {
        const archive = await openArchive({ bucket, key, client }, {}, names);
        try {
          const { archiveFiles } = selectEntries(archive.entries, compileEntryFilter({ rules: [], excludeJunk: true }));
          const bytes = archiveFiles.reduce((sum, entry) => sum + entry.size, 0);
          const plan = planShards({ files: archiveFiles.length, bytes }, rule);
          const { recordOffsets, recordOf, etag } = archive.directory;
          // One shard reads the whole directory anyway; giving it a part would only add to its event.
          if (plan.count > 1 && etag !== undefined) {
            const files = archiveFiles.map((entry) => ({ record: recordOf(entry), size: entry.size }));
            const parts = directoryParts(recordOffsets, files, plan.count);
            plan.shards = plan.shards.map((shard, index) => ({ ...shard, directory: { ...parts[index]!, etag } }));
          }
          const result: PlanResult = { bucket, key, ...plan, files: archiveFiles.length, bytes, requests: { ...counter.counts } };
          log({ level: 'info', message: 'planned', bucket, key, count: plan.count, files: result.files, bytes, requests: result.requests });
          return result;
        } finally {
          archive.close();
        }
      } finally {
        counter.detach();
      }
    } catch (error) {
      const described =
        error instanceof S3ZipSyncError
          ? { code: error.code, message: redactSecrets(error.message) }
          : { code: 'S3_ERROR' as const, message: `unexpected error: ${describeS3Error(error)}` };
      log({ level: 'error', message: 'plan failed', error: described });
      // S3ZipSync.S3_ERROR (a transient answer) is the one the workflow retries; the rest are the archive's or the setup's.
      throw new SyncFailedError(described.code, described.message);
    }
  };
}

function readPlanEvent(event: unknown): PlanEvent {
  const value = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (typeof value.bucket !== 'string' || typeof value.key !== 'string') {
    throw new S3ZipSyncError('INVALID_OPTION', `a plan event is { bucket, key, maxShards? }, got ${JSON.stringify(event)}`);
  }
  if (value.maxShards !== undefined && (typeof value.maxShards !== 'number' || !Number.isInteger(value.maxShards) || value.maxShards < 1)) {
    throw new S3ZipSyncError('INVALID_OPTION', `maxShards must be a positive integer, got ${JSON.stringify(value.maxShards)}`);
  }
  return { bucket: value.bucket, key: value.key, ...(value.maxShards !== undefined ? { maxShards: value.maxShards } : {}) };
}

/** The plan function's entry point: `s3zipsync/lambda`'s `planHandler`. */
export const planHandler: PlanHandler = createPlanHandler();
