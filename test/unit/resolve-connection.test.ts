import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { connectionOfClient, describeConnection, isCustomEndpoint, type S3Connection } from '../../src/s3/connection.js';
import { createS3Client, type ClientOptions } from '../../src/s3/create-client.js';
import { resolveConnection } from '../../src/s3/resolve-connection.js';
import { resolveBucketEndpoint } from '../../src/s3/transport/bucket-endpoint.js';
import { isolateAwsEnv, type IsolatedAwsEnv } from '../helpers/isolated-aws-env.js';

/** Everything the SDK's config chains read that a case may set; each case starts from none of them. */
const VARIABLES = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_S3_USE_ARN_REGION',
  'AWS_S3_DISABLE_EXPRESS_SESSION_AUTH',
  'AWS_EC2_METADATA_DISABLED',
];

interface Case {
  name: string;
  env?: Record<string, string>;
  /** Written to the shared config file. */
  config?: string;
  options?: ClientOptions;
  buckets?: string[];
}

const CASES: Case[] = [
  { name: 'region given, AWS endpoint', options: { region: 'eu-west-1' } },
  { name: 'region from AWS_REGION', env: { AWS_REGION: 'ap-southeast-2' } },
  { name: 'region from the profile in the config file', env: { AWS_PROFILE: 'work' }, config: '[profile work]\nregion = sa-east-1\n' },
  { name: 'profile given as an option', options: { profile: 'work' }, config: '[profile work]\nregion = ca-central-1\n' },
  { name: 'endpoint given, path style', options: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4599', forcePathStyle: true } },
  { name: 'endpoint given, virtual-hosted style', options: { region: 'us-east-1', endpoint: 'https://objects.example.com' } },
  { name: 'endpoint from AWS_ENDPOINT_URL_S3', env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }, options: { forcePathStyle: true } },
  { name: 'endpoint from AWS_ENDPOINT_URL', env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'https://minio.example.com:9443' } },
  { name: 'configured endpoints ignored', env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } },
  { name: "endpoint from a profile's services section", env: { AWS_PROFILE: 'local' }, config: '[profile local]\nregion = us-east-1\nservices = dev\n\n[services dev]\ns3 =\n  endpoint_url = http://127.0.0.1:7480\n' },
  { name: 'FIPS and dual-stack from the environment', env: { AWS_REGION: 'us-east-2', AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' } },
  { name: 'a FIPS pseudo-region', options: { region: 'fips-us-gov-west-1' } },
  { name: 'another partition', options: { region: 'cn-north-1' } },
  {
    name: 'bucket names that cannot be host names, an access point ARN, a directory bucket',
    options: { region: 'us-west-2' },
    env: { AWS_S3_USE_ARN_REGION: 'true' },
    buckets: ['my.dotted.bucket', 'UPPER_case', 'arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap', 'dirbucket--usw2-az1--x-s3'],
  },
];

async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Everything a run reads from a connection, for the buckets given. */
async function observed(connection: S3Connection, buckets: string[]) {
  const endpoints = [];
  for (const bucket of buckets) endpoints.push(await outcome(resolveBucketEndpoint(connection, bucket)));
  const credentials = await outcome(connection.credentials());
  const strategy = (await connection.retryStrategy()) as unknown as { mode?: string; maxAttempts?: number };
  return {
    region: await outcome(connection.region()),
    endpoints,
    // After the rules have run: AWS_ENDPOINT_URL_S3 and profile endpoints are found then.
    customEndpoint: isCustomEndpoint(connection),
    describedAs: await describeConnection(connection),
    accessKeyId: 'value' in credentials ? credentials.value.accessKeyId : credentials.error,
    retry: { mode: strategy.mode, maxAttempts: await (strategy as unknown as { maxAttemptsProvider?: () => Promise<number> }).maxAttemptsProvider?.() },
  };
}

describe('resolveConnection: what an S3 client would resolve, without the client', () => {
  let env: IsolatedAwsEnv;
  beforeEach(() => {
    env = isolateAwsEnv(VARIABLES, 'connection');
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = w\n\n[local]\naws_access_key_id = AKIDLOCAL\naws_secret_access_key = l\n');
  });
  afterEach(() => env.restore());

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      Object.assign(process.env, testCase.env);
      writeFileSync(process.env.AWS_CONFIG_FILE!, testCase.config ?? '');
      const buckets = testCase.buckets ?? ['b1'];
      const client = createS3Client(testCase.options);
      try {
        const expected = await observed(connectionOfClient(client), buckets);
        const actual = await observed(resolveConnection(testCase.options), buckets);
        assert.deepEqual(actual, expected);
        // The case must have resolved something: an endpoint for its first bucket and a region.
        assert.ok('value' in expected.endpoints[0]! || testCase.buckets, `no endpoint for ${buckets[0]}: ${JSON.stringify(expected.endpoints[0])}`);
      } finally {
        client.destroy();
      }
    });
  }

  it('retry mode and attempts as given', async () => {
    process.env.AWS_REGION = 'us-east-1';
    for (const options of [{ retryMode: 'adaptive' as const, maxAttempts: 7 }, { maxAttempts: 1 }, {}]) {
      const client = createS3Client(options);
      assert.deepEqual(await observed(resolveConnection(options), ['b1']), await observed(connectionOfClient(client), ['b1']));
      client.destroy();
    }
  });
});
