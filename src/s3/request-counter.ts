import type { S3Client } from '@aws-sdk/client-s3';
import type { SignedHttpTransport } from './transport/signed-http-transport.js';

/** HTTP requests sent, by operation (`HeadObject`, `PutObject`, …), retries included. */
export type RequestCounts = Record<string, number>;

let nextId = 0;

/**
 * Counts every HTTP attempt the client sends while attached. The middleware sits after the retry
 * middleware, so a retried request counts once per attempt: that is what S3 bills.
 * Runs sharing one client count each other's requests; give concurrent runs their own client.
 * A lean transport sending the run's hot requests past the client counts its attempts into the same counts.
 */
export function attachRequestCounter(client: S3Client, transport?: SignedHttpTransport): { counts: RequestCounts; detach: () => void } {
  const counts: RequestCounts = {};
  const name = `s3zipsyncRequestCounter${nextId++}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name },
  );
  const detachTransport = transport?.addAttemptListener((operation) => {
    counts[operation] = (counts[operation] ?? 0) + 1;
  });
  return {
    counts,
    detach: () => {
      client.middlewareStack.remove(name);
      detachTransport?.();
    },
  };
}

export function totalRequests(counts: RequestCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
