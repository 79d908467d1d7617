import type { S3Client } from '@aws-sdk/client-s3';
import type { SignedHttpTransport } from './transport/signed-http-transport.js';

/** HTTP requests sent, by operation (`HeadObject`, `PutObject`, …), retries included. */
export type RequestCounts = Record<string, number>;

export interface RequestCounter {
  counts: RequestCounts;
  /** Counts this client's requests too (one built partway through a run, for multipart uploads). */
  attachClient(client: S3Client): void;
  detach(): void;
}

let nextId = 0;

/**
 * Counts every HTTP attempt the lean transport and the attached clients send while attached. A
 * client's middleware sits after its retry middleware, so a retried request counts once per
 * attempt: that is what S3 bills. Runs sharing one client count each other's requests; give
 * concurrent runs their own client.
 */
export function attachRequestCounter(client: S3Client | undefined, transport?: SignedHttpTransport): RequestCounter {
  const counts: RequestCounts = {};
  const detachers: Array<() => void> = [];
  const count = (operation: string) => {
    counts[operation] = (counts[operation] ?? 0) + 1;
  };
  const attachClient = (attached: S3Client) => {
    const name = `s3zipsyncRequestCounter${nextId++}`;
    attached.middlewareStack.add(
      (next, context) => async (args) => {
        count((context.commandName ?? 'Unknown').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name },
    );
    detachers.push(() => attached.middlewareStack.remove(name));
  };
  if (client) attachClient(client);
  const detachTransport = transport?.addAttemptListener(count);
  if (detachTransport) detachers.push(detachTransport);
  return {
    counts,
    attachClient,
    detach: () => {
      for (const detach of detachers.splice(0)) detach();
    },
  };
}

export function totalRequests(counts: RequestCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
