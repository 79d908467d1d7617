import type { S3Client } from '@aws-sdk/client-s3';

/** Keyed by a client or a connection (s3/connection.ts): whatever sent the request. */
const lastEndpoint = new WeakMap<object, string>();
let nextId = 0;

/**
 * Notes where the client's requests actually go. A client's config names its endpoint only when
 * one was passed in code; one the SDK found itself (AWS_ENDPOINT_URL_S3, `endpoint_url` in a profile)
 * is invisible there, and messages would name AWS's regional endpoint instead of the server used.
 */
export function trackEndpoint(client: S3Client): () => void {
  const name = `s3zipsyncEndpointTracker${nextId++}`;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
      const bucket = (args.input as { Bucket?: unknown } | undefined)?.Bucket;
      if (request?.hostname) {
        // Virtual-hosted style puts the bucket in the host; the endpoint is what is left.
        const host = typeof bucket === 'string' && request.hostname.startsWith(`${bucket}.`) ? request.hostname.slice(bucket.length + 1) : request.hostname;
        lastEndpoint.set(client, `${request.protocol ?? 'https:'}//${host}${request.port ? `:${request.port}` : ''}`);
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name },
  );
  return () => client.middlewareStack.remove(name);
}

/** For a request sent past the client (the lean transport, s3/transport/): where it went. */
export function noteEndpointUsed(sender: object, endpoint: string): void {
  lastEndpoint.set(sender, endpoint);
}

/** `http://127.0.0.1:4568` or `https://s3.eu-west-1.amazonaws.com`: where the last request went, if tracked. */
export function endpointUsed(sender: object): string | undefined {
  return lastEndpoint.get(sender);
}
