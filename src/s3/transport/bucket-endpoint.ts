import { commonParams } from '@aws-sdk/client-s3/dist-es/endpoint/EndpointParameters.js';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import type { S3Connection } from '../connection.js';

/** Where a bucket's requests go and how they are signed, as the SDK's own endpoint rules decide it. */
export interface BucketEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  /** `/bucket` in path style, empty in virtual-hosted style; a key's path is `${basePath}/${key}`. */
  basePath: string;
  signingRegion: string;
}

/**
 * The endpoint parameters of a bucket-level request, as ListObjectsV2Command states them (its
 * `Prefix` parameter is unset for a bucket): the client's settings plus the bucket. Object
 * requests (HeadObject, PutObject) state the same and add `Key`, which no rule reads.
 */
const BUCKET_REQUEST = { getEndpointParameterInstructions: () => ({ ...commonParams, Bucket: { type: 'contextParams', name: 'Bucket' } }) } as const;

/**
 * Runs the SDK's endpoint rules once per bucket (not once per request, as the SDK does): the
 * resolved config already holds `endpoint` or AWS_ENDPOINT_URL_S3, path style, FIPS and
 * dual-stack, so the lean path addresses buckets exactly as the SDK would.
 * `region` overrides the connection's region, for a bucket S3 says lives elsewhere.
 */
export async function resolveBucketEndpoint(connection: S3Connection, bucket: string, region?: string): Promise<BucketEndpoint> {
  const base = connection.endpointConfig;
  const config = region ? { ...base, region: async () => region } : base;
  const endpoint = await getEndpointFromInstructions({ Bucket: bucket }, BUCKET_REQUEST as never, config as never);
  // The rules' first run may have found the endpoint in AWS_ENDPOINT_URL_S3 or a profile: keep it.
  if (config !== base && config.isCustomEndpoint && !base.isCustomEndpoint) Object.assign(base, { endpoint: config.endpoint, isCustomEndpoint: true });
  const url = endpoint.url;
  const schemes = (endpoint.properties?.authSchemes ?? []) as { name?: string; signingRegion?: string }[];
  const sigv4 = schemes.find((scheme) => scheme.name === 'sigv4');
  const signingRegion = sigv4?.signingRegion ?? region ?? (await connection.region());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported endpoint protocol ${url.protocol}`);
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    basePath: url.pathname.replace(/\/+$/, ''),
    signingRegion,
  };
}
