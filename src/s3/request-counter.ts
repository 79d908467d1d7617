import type { S3Client } from '@aws-sdk/client-s3';

/** HTTP requests sent, by operation (`HeadObject`, `PutObject`, …), retries included. */
export type RequestCounts = Record<string, number>;

let nextId = 0;

/**
 * Counts every HTTP attempt the client sends while attached. The middleware sits after the retry
 * middleware, so a retried request counts once per attempt: that is what S3 bills.
 * Runs sharing one client count each other's requests; give concurrent runs their own client.
 */
export function attachRequestCounter(client: S3Client): { counts: RequestCounts; detach: () => void } {
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
  return { counts, detach: () => client.middlewareStack.remove(name) };
}

export function totalRequests(counts: RequestCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
