import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

export const STORED = 0;
export const DEFLATED = 8;
export const ZSTANDARD = 93;

/** Method ids of APPNOTE 4.4.5 that archives in the wild use, by the name their tools show. */
const METHOD_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'shrink'],
  [2, 'reduce'],
  [3, 'reduce'],
  [4, 'reduce'],
  [5, 'reduce'],
  [6, 'implode'],
  [9, 'deflate64'],
  [10, 'PKWARE DCL implode'],
  [12, 'bzip2'],
  [14, 'LZMA'],
  [18, 'IBM TERSE'],
  [19, 'IBM LZ77'],
  [93, 'Zstandard'],
  [94, 'MP3'],
  [95, 'XZ'],
  [96, 'JPEG'],
  [97, 'WavPack'],
  [98, 'PPMd'],
  [99, 'AES encryption'],
]);

const RECREATE = 're-create the archive with deflate, e.g. `zip -r site.zip site` or `7z a -tzip -mm=Deflate site.zip site`';

type ZstdFactory = () => Transform;

/** Node's Zstandard decoder (zlib, Node ≥ 22.15 / 23.8), or undefined on a Node without it. */
export function zstdDecompressor(): ZstdFactory | undefined {
  const factory = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;
  return typeof factory === 'function' ? () => factory() : undefined;
}

/** Whether this process can stream entries of `method` (stored, deflate, and Zstandard where Node has it). */
export function canDecode(method: number): boolean {
  return method === STORED || method === DEFLATED || (method === ZSTANDARD && zstdDecompressor() !== undefined);
}

/** One line naming the method and what to do instead; for methods canDecode refuses. */
export function unsupportedMethodMessage(method: number, entryName: string): string {
  const named = METHOD_NAMES.get(method);
  const what = named ? `${named} (compression method ${method})` : `unknown compression method ${method}`;
  const advice =
    method === ZSTANDARD
      ? `this Node ${process.version} has no Zstandard decoder (Node >= 22.15 has one); run on a newer Node or ${RECREATE}`
      : method === 99
        ? 're-create the archive without encryption'
        : method === 9
          ? `Windows Explorer writes deflate64 for large files; ${RECREATE}`
          : RECREATE;
  return `entry ${JSON.stringify(entryName)} uses ${what}, which s3zipsync cannot decode; ${advice}`;
}
