import { bdd } from '@aws-sdk/client-s3/dist-es/endpoint/bdd.js';
import { resolveClientEndpointParameters } from '@aws-sdk/client-s3/dist-es/endpoint/EndpointParameters.js';
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { resolveAwsSdkSigV4Config } from '@aws-sdk/core/httpAuthSchemes';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { NODE_DISABLE_S3_EXPRESS_SESSION_AUTH_OPTIONS, NODE_USE_ARN_REGION_CONFIG_OPTIONS } from '@aws-sdk/middleware-sdk-s3/s3';
import { Sha256 } from '@smithy/core/checksum';
import {
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  resolveRegionConfig,
} from '@smithy/core/config';
import { customEndpointFunctions, decideEndpoint, resolveEndpointConfig } from '@smithy/core/endpoints';
import { resolveRetryConfig } from '@smithy/core/retry';
import type { EndpointParameters, EndpointV2, Logger, RetryStrategyV2 } from '@smithy/types';
import type { EndpointRulesConfig, S3Connection } from './connection.js';
import type { ClientOptions } from './create-client.js';
import { silentLogger } from './silent-logger.js';

// What client-s3's own endpointResolver.js does when the client module loads.
customEndpointFunctions.aws = awsEndpointFunctions;

/**
 * The connection an S3 client built by createS3Client(options) would have, built by the same SDK
 * resolvers the client's constructor runs (credential chain, region chain, endpoint configuration
 * and rules, retry strategy), without loading the client. test/unit/resolve-connection.test.ts
 * holds both side by side for every way of configuring them.
 */
export function resolveConnection(options: ClientOptions = {}): S3Connection {
  const loaderConfig = { ...(options.profile ? { profile: options.profile } : {}), logger: silentLogger };
  const input: Record<string, unknown> = {
    serviceId: 'S3',
    ...loaderConfig,
    region: options.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    useArnRegion: loadConfig(NODE_USE_ARN_REGION_CONFIG_OPTIONS, loaderConfig),
    disableS3ExpressSessionAuth: loadConfig(NODE_DISABLE_S3_EXPRESS_SESSION_AUTH_OPTIONS, loaderConfig),
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: options.retryMode ?? 'standard',
    credentialDefaultProvider: defaultProvider,
    sha256: Sha256,
    endpointProvider: (params: EndpointParameters, context: { logger?: Logger } = {}): EndpointV2 =>
      decideEndpoint(bdd, { endpointParams: params as never, ...(context.logger ? { logger: context.logger } : {}) }),
  };
  // The order of S3Client's constructor, less what only its middleware reads.
  const config = resolveAwsSdkSigV4Config(
    resolveEndpointConfig(resolveRegionConfig(resolveRetryConfig(resolveClientEndpointParameters(input) as never) as never) as never) as never,
  ) as unknown as EndpointRulesConfig & {
    credentials: S3Connection['credentials'];
    retryStrategy: () => Promise<RetryStrategyV2>;
  };
  return {
    credentials: config.credentials,
    region: () => config.region(),
    retryStrategy: () => config.retryStrategy(),
    endpointConfig: config,
  };
}
