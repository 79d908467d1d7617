import type { S3Client } from '@aws-sdk/client-s3';
import type { PacerName } from '../option-defaults.js';
import { connectionOfClient, type S3Access, type S3Connection } from './connection.js';
import type { ClientOptions } from './create-client.js';
import { trackEndpoint } from './endpoint-used.js';
import { attachRequestCounter, type RequestCounts } from './request-counter.js';
import { resolveConnection } from './resolve-connection.js';
import { attachClientPacing } from './throttle/client-pacing.js';
import { ThrottleController } from './throttle/throttle-controller.js';
import { sdkTransport } from './transport/sdk-transport.js';
import { threadedListPageParser } from './transport/list-page-parser.js';
import { createSignedHttpTransport } from './transport/signed-http-transport.js';
import type { S3Transport } from './transport/transport.js';

/** How the hot requests are sent (see SyncOptions.requestPath). */
export type RequestPath = 'signed-http' | 'sdk';

/** What the checks, listings, deletion and preflight send their requests through: part of a session. */
export interface S3Requests {
  /** HeadObject, ListObjectsV2, buffered PutObject and DeleteObjects: the run's one request path. */
  readonly transport: S3Transport;
  /** Where the requests go, for messages: the SDK client that sends them, else the run's connection. */
  readonly access: S3Access;
}

/**
 * Everything of one run that reaches S3, built once: a run's code is handed this, never a client it
 * would have to choose a request path for.
 */
export interface S3Session extends S3Requests {
  /** Credentials, endpoint and retry strategy of the requests (the client's, when a client sends them). */
  readonly connection: S3Connection;
  /** For what only the SDK sends (multipart, CopyObject, streamed PUTs, S3-source reads); built on first use. */
  sdkClient(): Promise<S3Client>;
  /** The run's pacer, shared by every request path: S3's "slow down" slows the whole run. */
  readonly throttle: ThrottleController;
  /** HTTP attempts so far, by operation, retries included: a copy. */
  requestCounts(): RequestCounts;
  /** Ends counting and pacing on a caller's client, and closes what the session built. */
  close(): Promise<void>;
}

export interface SessionOptions {
  /** A client of the caller's (Lambda reuses one): used, instrumented for the run, never closed. */
  client?: S3Client | undefined;
  /** For the connection and the client the session builds when the caller gave none. */
  clientOptions: ClientOptions;
  requestPath: RequestPath;
  /** Sockets kept per host by the signed transport. */
  maxSockets: number;
  pacer: PacerName;
  /** Requests the pacer lets into flight at most. */
  maxInFlight: number;
  stallTimeoutMs: number;
}

/**
 * The run's S3 session. With `signed-http` the hot requests go signed over node:http, and the SDK
 * client is built only when a request needs it: a run whose requests all go the lean way never loads
 * it (docs/request-path.md). With `sdk` every request goes through the client (`client.send`), so a
 * caller's middleware or plugins apply.
 */
export async function openS3Session(options: SessionOptions): Promise<S3Session> {
  const callerClient = options.client;
  const throttle = new ThrottleController({ pacer: options.pacer, stallTimeoutMs: options.stallTimeoutMs, maxInFlight: options.maxInFlight });
  // Without a client of the caller's, credentials, region and endpoint come from the SDK's own
  // resolvers without the client (resolve-connection.ts).
  const resolved = callerClient ? connectionOfClient(callerClient) : resolveConnection(options.clientOptions);
  const listPageParser = options.requestPath === 'sdk' ? undefined : threadedListPageParser();
  const signed = listPageParser
    ? createSignedHttpTransport({ connection: resolved, maxSockets: options.maxSockets, stallTimeoutMs: options.stallTimeoutMs, throttle, listPageParser })
    : undefined;
  const counter = attachRequestCounter(callerClient, signed);
  const untrack: Array<() => void> = callerClient ? [trackEndpoint(callerClient), attachClientPacing(callerClient, throttle)] : [];
  let ownClient: Promise<S3Client> | undefined;
  const sdkClient = (): Promise<S3Client> => {
    if (callerClient) return Promise.resolve(callerClient);
    ownClient ??= import('./create-client.js').then(({ createS3Client }) => {
      const client = createS3Client(options.clientOptions);
      counter.attachClient(client);
      untrack.push(trackEndpoint(client), attachClientPacing(client, throttle));
      return client;
    });
    return ownClient;
  };
  const close = async () => {
    counter.detach();
    signed?.destroy();
    await listPageParser?.close();
    for (const undo of untrack.splice(0)) undo();
    if (ownClient) (await ownClient.catch(() => undefined))?.destroy();
  };
  const session = { throttle, sdkClient, requestCounts: () => ({ ...counter.counts }), close };
  if (signed) return { ...session, transport: signed, access: callerClient ?? resolved, connection: resolved };
  try {
    const client = await sdkClient();
    return { ...session, transport: sdkTransport(client), access: client, connection: connectionOfClient(client) };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The SDK request path of a client alone, for code that holds only a client (bench, tests). */
export function sdkRequests(client: S3Client): S3Requests {
  return { transport: sdkTransport(client), access: client };
}
