import type { S3Client } from '@aws-sdk/client-s3';
import { createHandler, createPlanHandler } from '../../src/lambda/handler.js';
import type { Log } from '../../src/lambda/log.js';
import type { LocalFunction } from './lambda-invoke.js';
import type { WorkflowOptions } from './run-workflow.js';

export interface LocalFunctionsOptions {
  /** A new client for each invocation: each stands for its own Lambda sandbox (and counts only its own requests). */
  client: () => S3Client;
  /** The sync function's environment (template.yaml's Environment): TARGET_BUCKET, TARGET_PREFIX, … */
  syncEnv: Record<string, string | undefined>;
  /** The plan function's: SHARD_ENTRIES, SHARD_BYTES. */
  planEnv?: Record<string, string | undefined>;
  log?: Log;
}

/** The package's own handlers, `handler` and `planHandler` of `s3zipsync/lambda`, as the workflow's functions. */
export function localFunctions(options: LocalFunctionsOptions): WorkflowOptions['functions'] {
  const log = options.log ?? (() => {});
  const withOwnClient =
    (run: (client: S3Client, payload: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>): LocalFunction =>
    async (payload, context) => {
      const client = options.client();
      try {
        return await run(client, payload, context);
      } finally {
        client.destroy();
      }
    };
  return {
    PlanFunctionArn: withOwnClient((client, payload) => createPlanHandler({ client, env: options.planEnv ?? {}, log })(payload)),
    SyncFunctionArn: withOwnClient((client, payload, context) => createHandler({ client, env: options.syncEnv, log })(payload, context)),
  };
}
