import type { S3Client } from '@aws-sdk/client-s3';
import { SMITHY_CONTEXT_KEY, type FinalizeHandler, type FinalizeHandlerArguments, type HandlerExecutionContext, type MetadataBearer } from '@smithy/types';
import { isServerAnswer, isSlowDown } from './slow-down.js';
import type { ThrottleController } from './throttle-controller.js';

let nextId = 0;

/**
 * Puts every HTTP attempt of an SDK client under the run's pacer: a middleware inside the SDK's retry
 * loop and before signing, so each attempt (re-signed) waits for the pacer, and a slow-down is retried
 * here, where it spends none of the SDK's attempts or retry capacity. A request with a streamed body
 * cannot be sent twice: its slow-down goes up to the entry-level retry (retry-entry.ts), which asks
 * the same pacer. Works on a caller's client too (Lambda): it is removed again at the end of the run.
 */
export function attachClientPacing(client: S3Client, throttle: ThrottleController): () => void {
  const name = `s3zipsyncPacing${nextId++}`;
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<object>) => {
      const signal = (context[SMITHY_CONTEXT_KEY] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
      let slowDowns = 0;
      for (;;) {
        const permit = await throttle.acquire(signal);
        try {
          const result = await next(args);
          permit.done('answered');
          return result;
        } catch (error) {
          if (!isSlowDown(error)) {
            permit.done(isServerAnswer(error) ? 'answered' : 'failed');
            throw error;
          }
          // A streamed body is gone: the entry-level retry asks the pacer for its backoff instead.
          if (hasStreamedBody(args.request) || signal?.aborted) {
            permit.done('slowDown');
            throw error;
          }
          slowDowns++;
          if (!(await permit.slowedDown(slowDowns, signal, error))) throw error;
        }
      }
    },
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name, override: true },
  );
  return () => {
    client.middlewareStack.remove(name);
  };
}

function hasStreamedBody(request: unknown): boolean {
  const body = (request as { body?: unknown } | undefined)?.body;
  return typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function';
}
