/**
 * The ways of sending HeadObject and a small PutObject that bench/client-candidates.ts compares.
 * Each answers a HEAD with null for a missing key and throws for anything else, so every
 * candidate does the same job.
 */
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Sha256 } from '@smithy/core/checksum';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { HttpRequest, extendedEncodeURIComponent } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { createS3Client } from '../../src/s3/create-client.js';
import { isNotFound } from '../../src/s3/s3-error.js';
import { connectionOfClient } from '../../src/s3/connection.js';
import { createSignedHttpTransport } from '../../src/s3/transport/signed-http-transport.js';

export interface Target {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  concurrency: number;
}

export interface Candidate {
  head(key: string): Promise<unknown>;
  put(key: string, body: Buffer): Promise<void>;
  close(): void;
}

export const CANDIDATE_NAMES = ['sdk', 'sdk-tuned', 'aws-lite', 'sigv4-node-http', 'sigv4-undici'] as const;
export type CandidateName = (typeof CANDIDATE_NAMES)[number];

export async function createCandidate(name: CandidateName, target: Target): Promise<Candidate> {
  switch (name) {
    case 'sdk':
      return sdkCandidate(sdkClient(target), target.bucket);
    case 'sdk-tuned':
      return sdkCandidate(await tunedSdkClient(target), target.bucket);
    case 'aws-lite':
      return awsLiteCandidate(target);
    case 'sigv4-node-http':
      return leanCandidate(target);
    case 'sigv4-undici':
      return undiciCandidate(target);
  }
}

function sdkClient(target: Target): S3Client {
  return createS3Client({ endpoint: target.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: target.credentials, maxSockets: target.concurrency * 2 });
}

function sdkCandidate(client: S3Client, bucket: string): Candidate {
  return {
    async head(key) {
      try {
        return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ContentType: 'text/plain' }));
    },
    close: () => client.destroy(),
  };
}

/**
 * The SDK with what it does per request for nothing here taken out: the endpoint rules run once
 * (a fixed endpointProvider), and the middleware that adds headers we do not need or checks we
 * already made is removed. Signing, retries, serde stay.
 */
async function tunedSdkClient(target: Target): Promise<S3Client> {
  const probe = sdkClient(target);
  const endpoint = await getEndpointFromInstructions({ Bucket: target.bucket }, ListObjectsV2Command, probe.config);
  probe.destroy();
  const client = createS3Client({ endpoint: target.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: target.credentials, maxSockets: target.concurrency * 2 });
  client.config.endpointProvider = () => endpoint;
  for (const name of ['getUserAgentMiddleware', 'recursionDetectionMiddleware', 'addExpectContinueMiddleware', 'validateBucketNameMiddleware', 'loggerMiddleware', 's3ExpressMiddleware', 'regionRedirectMiddleware']) {
    client.middlewareStack.remove(name);
  }
  return client;
}

const AWS_LITE_S3_PLUGIN: string = '@aws-lite/s3';

async function awsLiteCandidate(target: Target): Promise<Candidate> {
  const { default: awsLite } = (await import('@aws-lite/client')) as unknown as { default: (config: object) => Promise<AwsLite> };
  const url = new URL(target.endpoint);
  const aws = await awsLite({
    ...target.credentials,
    region: 'us-east-1',
    protocol: url.protocol.replace(':', ''),
    host: url.hostname,
    port: Number(url.port),
    keepAlive: true,
    // The plugin ships no types; the client takes its module as a promise.
    plugins: [import(AWS_LITE_S3_PLUGIN)],
    autoloadPlugins: false,
    awsConfigFile: false,
  });
  return {
    async head(key) {
      try {
        return await aws.S3.HeadObject({ Bucket: target.bucket, Key: key });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
    },
    async put(key, body) {
      await aws.S3.PutObject({ Bucket: target.bucket, Key: key, Body: body, ContentType: 'text/plain' });
    },
    close() {},
  };
}

interface AwsLite {
  S3: { HeadObject(input: object): Promise<unknown>; PutObject(input: object): Promise<unknown> };
}

function leanCandidate(target: Target): Candidate {
  const client = sdkClient(target);
  const transport = createSignedHttpTransport({ connection: connectionOfClient(client), maxSockets: target.concurrency * 2 });
  return {
    head: (key) => transport.headObject({ bucket: target.bucket, key }),
    async put(key, body) {
      await transport.putObject({ bucket: target.bucket, key, body, contentType: 'text/plain' });
    },
    close() {
      transport.destroy();
      client.destroy();
    },
  };
}

/** The same signer over undici's pool; no retries (a floor for what undici could add). */
async function undiciCandidate(target: Target): Promise<Candidate> {
  const { Pool } = await import('undici');
  const url = new URL(target.endpoint);
  const pool = new Pool(url.origin, { connections: target.concurrency * 2, pipelining: 1 });
  const signer = new SignatureV4({ credentials: target.credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  async function call(method: string, key: string, body?: Buffer) {
    const path = `/${target.bucket}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`;
    const headers: Record<string, string> = { host: url.host, ...(body ? { 'content-length': String(body.length), 'content-type': 'text/plain' } : {}) };
    const signed = await signer.sign(new HttpRequest({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, headers, ...(body ? { body } : {}) }));
    const answer = await pool.request({ method: method as 'HEAD', path, headers: signed.headers, ...(body ? { body } : {}) });
    await answer.body.dump();
    return answer.statusCode;
  }
  return {
    async head(key) {
      const status = await call('HEAD', key);
      if (status === 404) return null;
      if (status >= 300) throw new Error(`HeadObject answered ${status}`);
      return {};
    },
    async put(key, body) {
      const status = await call('PUT', key, body);
      if (status >= 300) throw new Error(`PutObject answered ${status}`);
    },
    close: () => void pool.close(),
  };
}
