import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { endpointUsed } from './endpoint-used.js';

/**
 * What the lean request path needs to address, sign and retry S3 requests, without the SDK client:
 * the client's constructor loads every command's schema, which is most of a short run's start
 * (docs/request-path.md). Both implementations hand out what the SDK's own resolvers build.
 */
export interface S3Connection {
  /** Memoized by the SDK, refreshed before expiry. */
  readonly credentials: AwsCredentialIdentityProvider;
  region(): Promise<string>;
  retryStrategy(): Promise<RetryStrategyV2>;
  /**
   * The config the SDK's endpoint rules read (resolved endpoint, path style, FIPS, dual-stack, …).
   * It is mutated by the rules' first run when the endpoint comes from AWS_ENDPOINT_URL_S3 or a profile.
   */
  readonly endpointConfig: EndpointRulesConfig;
}

/** The fields of an S3 client's resolved config that @smithy/core/endpoints reads, loosely typed as the SDK passes them. */
export type EndpointRulesConfig = Record<string, unknown> & {
  region: () => Promise<string>;
  endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
  isCustomEndpoint?: boolean;
};

const ofClient = new WeakMap<S3Client, S3Connection>();

/** A caller's own client (Lambda reuses one): its credentials, region, endpoint rules and retry strategy. One per client. */
export function connectionOfClient(client: S3Client): S3Connection {
  let connection = ofClient.get(client);
  if (!connection) {
    const config = client.config;
    connection = {
      credentials: config.credentials,
      region: () => config.region(),
      // A mocked client (aws-sdk-client-mock) may have no strategy: then nothing is retried here.
      retryStrategy: () => (config.retryStrategy?.() ?? Promise.resolve(undefined)) as Promise<RetryStrategyV2>,
      endpointConfig: config as unknown as EndpointRulesConfig,
    };
    ofClient.set(client, connection);
  }
  return connection;
}

/** A human-readable name of where requests go, for error messages. Never includes credentials. */
export async function describeConnection(connection: S3Connection): Promise<string> {
  const used = endpointUsed(connection);
  if (used) return used;
  const configured = connection.endpointConfig.endpoint;
  if (configured) {
    const endpoint = await configured();
    const port = endpoint.port ? `:${endpoint.port}` : '';
    return `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path === '/' ? '' : endpoint.path}`;
  }
  const region = await connection.region().catch(() => 'unknown-region');
  return `https://s3.${region}.amazonaws.com`;
}

/** True when requests go to an endpoint other than AWS's own (`endpoint`, AWS_ENDPOINT_URL_S3, a profile's endpoint_url). */
export function isCustomEndpoint(connection: S3Connection): boolean {
  return connection.endpointConfig.isCustomEndpoint === true;
}

/** A client or a connection: what the S3 code of a run is handed. */
export type S3Access = S3Client | S3Connection;

export function connectionOf(access: S3Access): S3Connection {
  return 'send' in access ? connectionOfClient(access) : access;
}

/** Where the requests of a client or connection go, for messages: where the last one went, else where they would. */
export async function describeAccess(access: S3Access): Promise<string> {
  return endpointUsed(access) ?? describeConnection(connectionOf(access));
}
