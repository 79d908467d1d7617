import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';

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
 * Runs the SDK's endpoint rules once per bucket (not once per request, as the SDK does): the
 * resolved config already holds --endpoint-url or AWS_ENDPOINT_URL_S3, path style, FIPS and
 * dual-stack, so the lean path addresses buckets exactly as the SDK would.
 * `region` overrides the client's region, for a bucket S3 says lives elsewhere.
 */
export async function resolveBucketEndpoint(client: S3Client, bucket: string, region?: string): Promise<BucketEndpoint> {
  const config = region ? { ...client.config, region: async () => region } : client.config;
  const endpoint = await getEndpointFromInstructions({ Bucket: bucket }, ListObjectsV2Command, config);
  const url = endpoint.url;
  const schemes = (endpoint.properties?.authSchemes ?? []) as { name?: string; signingRegion?: string }[];
  const sigv4 = schemes.find((scheme) => scheme.name === 'sigv4');
  const signingRegion = sigv4?.signingRegion ?? region ?? (await client.config.region());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported endpoint protocol ${url.protocol}`);
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    basePath: url.pathname.replace(/\/+$/, ''),
    signingRegion,
  };
}
