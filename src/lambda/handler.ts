import type { S3Client } from '@aws-sdk/client-s3';
import { S3ZipSyncError, type ErrorCode } from '../errors.js';
import type { SyncReport } from '../report.js';
import { createS3Client } from '../s3/create-client.js';
import { describeS3Error, redactSecrets } from '../s3/s3-error.js';
import type { Shard } from '../shard.js';
import { syncZip } from '../sync/sync-zip.js';
import { readLambdaConfig, targetPrefixFor, type LambdaConfig } from './config.js';
import { deadlineGuard, type RemainingTime } from './deadline.js';
import { parseEvent, type ArchiveJob, type SkippedRecord } from './events.js';
import { jsonLinesToStdout, type Log } from './log.js';
import { canFinishOnRetry, permanentFailureCode } from './retry-decision.js';
import { SyncFailedError } from './sync-failed.js';

export { SyncFailedError } from './sync-failed.js';
// The sharded workflow's first step ships in the same module, so one bundle serves both functions.
export { createPlanHandler, planHandler, type PlanEvent, type PlanHandler, type PlanResult } from './plan-handler.js';

export interface ArchiveResult {
  source: { bucket: string; key: string };
  target: { bucket: string; prefix: string };
  shard?: Shard;
  /** Every file entry (of the shard) is in the target. */
  complete: boolean;
  /** Entries not in the target yet: not started (time ran out) or failed. Unknown (null) when the run could not start. */
  remaining: number | null;
  /** What syncZip returned; absent when the archive could not be synced at all (see `error`). */
  report?: SyncReport;
  error?: { code: ErrorCode; message: string };
}

export interface HandlerResult {
  complete: boolean;
  archives: ArchiveResult[];
  skipped: SkippedRecord[];
  /** SQS partial batch response: messages whose archive should be delivered again (ReportBatchItemFailures). */
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** Thrown when FAIL_ON_INCOMPLETE is set and an archive can finish on a retry; its name is what a Step Functions Retry matches. */
export class IncompleteSyncError extends Error {
  override readonly name = 'IncompleteSync';
  constructor(readonly result: HandlerResult) {
    const open = result.archives.filter((archive) => !archive.complete).map((archive) => `s3://${archive.source.bucket}/${archive.source.key}`);
    super(`incomplete, run again to finish: ${open.join(', ')}`);
  }
}

/** What broke each archive that a retry cannot finish, one clause per archive. */
function describePermanentFailures(result: HandlerResult): string {
  const failed = result.archives.filter((archive) => permanentFailureCode(archive) !== undefined);
  return failed
    .map((archive) => {
      const code = permanentFailureCode(archive);
      const failure = archive.report?.failures.find((candidate) => candidate.code === code);
      return `s3://${archive.source.bucket}/${archive.source.key}: ${archive.error?.message ?? (failure ? `${failure.key}: ${failure.reason}` : 'incomplete')}`;
    })
    .join('; ');
}

export interface HandlerDependencies {
  /** Default: one client from the standard AWS chain, made on the first invocation and kept for the next. */
  client?: S3Client;
  /** Default: process.env, read on each invocation. */
  env?: Record<string, string | undefined>;
  /** Default: JSON lines on stdout. */
  log?: Log;
}

export type Handler = (event: unknown, context?: RemainingTime) => Promise<HandlerResult>;

/**
 * A Lambda handler syncing each `.zip` an event names into TARGET_BUCKET / TARGET_PREFIX.
 * Archives are synced one after the other, each with the full concurrency.
 */
export function createHandler(dependencies: HandlerDependencies = {}): Handler {
  let client = dependencies.client;
  const log = dependencies.log ?? jsonLinesToStdout;
  return async (event, context) => {
    let config: LambdaConfig;
    let parsed: ReturnType<typeof parseEvent>;
    try {
      config = readLambdaConfig(dependencies.env ?? process.env);
      parsed = parseEvent(event);
    } catch (error) {
      // A misconfigured function or a mis-wired trigger: fail the invocation, after saying why.
      if (error instanceof S3ZipSyncError) log({ level: 'error', message: error.message, code: error.code });
      throw error;
    }
    client ??= createS3Client({ maxSockets: config.concurrency * 2 });
    const { jobs, skipped } = parsed;
    for (const record of skipped) log({ level: 'warn', message: 'skipped', ...record });

    const archives: ArchiveResult[] = [];
    for (const job of jobs) archives.push(await syncArchive(job, config, client, context, log));

    const retry = jobs.filter((_, i) => canFinishOnRetry(archives[i]!));
    const retryMessages = new Set(retry.map((job) => job.messageId).filter((id) => id !== undefined));
    const result: HandlerResult = {
      complete: archives.every((archive) => archive.complete),
      archives,
      skipped,
      batchItemFailures: [...retryMessages].map((itemIdentifier) => ({ itemIdentifier })),
    };
    log({
      level: result.complete ? 'info' : 'warn',
      message: 'summary',
      complete: result.complete,
      archives: archives.map(({ report, ...archive }) => ({
        ...archive,
        ...(report ? { counts: report.counts, requests: report.requests, bytesUploaded: report.bytesUploaded, elapsedMs: report.elapsedMs } : {}),
        // How often S3 asked to slow down and the rate the run settled at: why an invocation ran long.
        ...(report && report.throttling.slowDowns > 0 ? { throttling: report.throttling } : {}),
      })),
    });
    if (config.failOnIncomplete) {
      // A broken archive first: retrying the whole invocation for the others would meet it again.
      const permanent = archives.map(permanentFailureCode).find((code) => code !== undefined);
      if (permanent) throw new SyncFailedError(permanent, `failed, a retry cannot fix it: ${describePermanentFailures(result)}`, result);
      if (retry.length > 0) throw new IncompleteSyncError(result);
    }
    return result;
  };
}

async function syncArchive(job: ArchiveJob, config: LambdaConfig, client: S3Client, context: RemainingTime | undefined, log: Log): Promise<ArchiveResult> {
  const base = {
    source: { bucket: job.bucket, key: job.key },
    target: { bucket: config.targetBucket, prefix: targetPrefixFor(config.targetPrefix, job.key) },
    ...(job.shard ? { shard: job.shard } : {}),
  };
  const guard = deadlineGuard(context, config);
  try {
    if (!guard.shouldStartEntry()) {
      return fail(base, log, new S3ZipSyncError('ABORTED', 'not started: the lambda time ran out before this archive'));
    }
    log({ level: 'info', message: 'sync started', ...base });
    const report = await syncZip({
      zip: { bucket: job.bucket, key: job.key },
      bucket: config.targetBucket,
      prefix: base.target.prefix,
      client,
      strategy: config.strategy,
      concurrency: config.concurrency,
      ...config.integrity,
      ...config.headers,
      ...config.names,
      conditionalWrites: config.conditionalWrites,
      ...(job.shard ? { shard: job.shard } : {}),
      shouldStartEntry: guard.shouldStartEntry,
      signal: guard.signal,
      onEvent: (event) => {
        // Ignored entries are only counted: a re-run of 100,000 unchanged files should not write 100,000 lines.
        if (event.type === 'entry' && event.action !== 'ignored') {
          log({ level: event.action === 'failed' || event.action === 'conflict' ? 'error' : 'info', message: 'entry', ...event });
        }
        if (event.type === 'warning') log({ level: 'warn', message: event.message, ...(event.entry ? { entry: event.entry } : {}) });
      },
    });
    return { ...base, complete: report.complete, remaining: report.counts.notStarted + report.counts.failed + report.counts.conflict, report };
  } catch (error) {
    return fail(base, log, error);
  } finally {
    guard.dispose();
  }
}

function fail(base: Omit<ArchiveResult, 'complete' | 'remaining'>, log: Log, error: unknown): ArchiveResult {
  const described =
    error instanceof S3ZipSyncError
      ? { code: error.code, message: redactSecrets(error.message) }
      : { code: 'S3_ERROR' as const, message: `unexpected error: ${describeS3Error(error)}` };
  log({ level: 'error', message: 'archive failed', ...base, error: described });
  return { ...base, complete: false, remaining: null, error: described };
}

/** The Lambda entry point: `s3zipsync/lambda`'s `handler`. The client outlives invocations (module scope). */
export const handler: Handler = createHandler();
