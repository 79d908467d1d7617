import { sdkHeaderParams } from '../../headers/sdk-params.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Access } from '../connection.js';
import { isNotFound } from '../s3-error.js';
import type { S3Transport } from './transport.js';

const transports = new WeakMap<S3Client, S3Transport>();

/**
 * The transport interface over the SDK client's own commands: for a caller that gives only a
 * client (and for the unit tests that mock one). A run builds the signed-HTTP transport instead.
 */
export function sdkTransport(access: S3Access | undefined): S3Transport {
  if (!access || !('send' in access)) throw new Error('no request path: give a transport or an S3 client');
  const client = access;
  let transport = transports.get(client);
  if (!transport) {
    transport = createSdkTransport(client);
    transports.set(client, transport);
  }
  return transport;
}

function createSdkTransport(client: S3Client): S3Transport {
  return {
    async headObject({ bucket, key }, signal) {
      const { HeadObjectCommand } = await import('../sdk-commands.js');
      try {
        return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async putObject(input, signal) {
      const { PutObjectCommand } = await import('../sdk-commands.js');
      const answer = await client.send(
        new PutObjectCommand({
          ...{ Bucket: input.bucket, Key: input.key, Body: input.body, ContentLength: input.body.length },
          ...(input.contentType ? { ContentType: input.contentType } : {}),
          ...(input.contentEncoding ? { ContentEncoding: input.contentEncoding } : {}),
          ...(input.metadata ? { Metadata: input.metadata } : {}),
          ...sdkHeaderParams(input.headers),
          ...(input.checksumCrc32 ? { ChecksumCRC32: input.checksumCrc32 } : {}),
          ...(input.ifNoneMatch ? { IfNoneMatch: input.ifNoneMatch } : {}),
          ...(input.ifMatch ? { IfMatch: input.ifMatch } : {}),
        }),
        { abortSignal: signal },
      );
      const attempts = answer.$metadata?.attempts;
      return { ...(answer.ETag ? { etag: answer.ETag } : {}), ...(attempts ? { attempts } : {}) };
    },
    async listObjectsV2(input, signal, early) {
      const { ListObjectsV2Command } = await import('../sdk-commands.js');
      // The SDK does not say when its request is written: as good as now, for a caller timing the answer.
      early?.onSent?.();
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: input.bucket,
          ...(input.prefix !== undefined ? { Prefix: input.prefix } : {}),
          ...(input.maxKeys !== undefined ? { MaxKeys: input.maxKeys } : {}),
          ...(input.continuationToken !== undefined ? { ContinuationToken: input.continuationToken } : {}),
          ...(input.startAfter !== undefined ? { StartAfter: input.startAfter } : {}),
          ...(input.delimiter !== undefined ? { Delimiter: input.delimiter } : {}),
        }),
        { abortSignal: signal },
      );
      return {
        Contents: (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [{ Key: object.Key, Size: object.Size ?? 0, ...(object.ETag ? { ETag: object.ETag } : {}) }])),
        CommonPrefixes: (page.CommonPrefixes ?? []).flatMap((entry) => (entry.Prefix === undefined ? [] : [{ Prefix: entry.Prefix }])),
        IsTruncated: page.IsTruncated === true,
        ...(page.NextContinuationToken ? { NextContinuationToken: page.NextContinuationToken } : {}),
        ...(page.KeyCount !== undefined ? { KeyCount: page.KeyCount } : {}),
      };
    },
    async deleteObjects({ bucket, keys }, signal) {
      const { DeleteObjectsCommand } = await import('../sdk-commands.js');
      const answer = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal });
      return {
        errors: (answer.Errors ?? []).flatMap((error) =>
          error.Key === undefined ? [] : [{ Key: error.Key, ...(error.Code ? { Code: error.Code } : {}), ...(error.Message ? { Message: error.Message } : {}) }],
        ),
      };
    },
  };
}
