import type { S3Client } from '@aws-sdk/client-s3';

/** Where one fixture object lives, and what its decoded bytes must hash to. */
export interface DownloadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  /** Bytes as stored (compressed size for a gzipped fixture). */
  storedBytes: number;
  /** Bytes after decoding (= storedBytes for a plain fixture). */
  decodedBytes: number;
  /** sha256 (hex) of the decoded bytes. */
  decodedSha256: string;
  gzipped: boolean;
}

/** What a method hands back: the decoded bytes' count and hash, so streaming methods never hold them all. */
export interface DownloadOutput {
  bytes: number;
  sha256: string;
}

export interface DownloadMethod {
  /** Variant name in reports, e.g. `whole`, `chunks-512`, `ranged-4`. */
  name: string;
  /** Family as given to `--method`, e.g. `chunks` for `chunks-512`. */
  family: MethodFamily;
  download(target: DownloadTarget): Promise<DownloadOutput>;
}

export const METHOD_FAMILIES = ['whole', 'chunks', 'gunzip', 'presigned-fetch', 'ranged-parallel'] as const;
export type MethodFamily = (typeof METHOD_FAMILIES)[number];

export interface Fixture {
  /** Scenario name in reports, e.g. `1MB plain`, `18MB gzip`. */
  name: string;
  /** Requested size in bytes: the stored size of the object (a gzip fixture holds ~4.5× as many decoded bytes). */
  size: number;
  gzipped: boolean;
  target: DownloadTarget;
}
