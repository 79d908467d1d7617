import type { Checksum, SourceData } from '@smithy/types';
import { createHmac, hash } from 'node:crypto';

/**
 * The SHA-256 the signer computes with (its `sha256` option), over node:crypto's one-shot hash.
 * The signer hashes each input once, in one update, so the streaming Hash object that
 * @smithy/core's Sha256Node builds (and copies on every digest) is work for nothing; a signature
 * then costs two hash objects fewer (docs/request-path.md, "Signing").
 */
export class OneShotSha256 implements Checksum {
  private readonly secret: Buffer | string | undefined;
  private chunks: Uint8Array[] = [];

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : typeof secret === 'string' ? secret : asBuffer(secret);
  }

  update(data: Uint8Array): void {
    this.chunks.push(data);
  }

  async digest(): Promise<Uint8Array> {
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return this.secret === undefined ? hash('sha256', data, 'buffer') : createHmac('sha256', this.secret).update(data).digest();
  }

  reset(): void {
    this.chunks = [];
  }
}

function asBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}
