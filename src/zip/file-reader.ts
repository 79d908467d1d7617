import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { BlockCache, yieldSlices } from './block-cache.js';

const READ_SIZE = 64 * 1024;
/**
 * yauzl reads the central directory and every local header in reads of a few dozen bytes: two or
 * three per entry, each its own trip through the thread pool. Reads up to a block are served from
 * blocks of the file held in memory (16 × 64 KiB), so the directory of a 2,000-entry archive costs a
 * few reads, not thousands, and small entries next to each other share a block.
 */
const BLOCK_SIZE = 64 * 1024;
const CACHED_BLOCKS = 16;

/**
 * yauzl's reader for a local file, with streams that may be destroyed at any moment.
 *
 * yauzl's own file reader (its vendored fd-slicer, 3.4.0) queues reads one behind another; a stream
 * destroyed while its read waits in that queue later dereferences its cleared context and throws an
 * uncaught TypeError, which kills the process. An abort destroys many entry streams at once, so it
 * happened on Ctrl-C. Here each read is an independent positional `FileHandle.read`, a destroyed
 * stream asks for no more, and the file is closed only once the last read in flight has returned.
 */
export class FileReader extends yauzl.RandomAccessReader {
  private readsInFlight = 0;
  private pendingClose: ((error: Error | null) => void) | undefined;

  private readonly cache: BlockCache;

  private constructor(
    private readonly handle: FileHandle,
    size: number,
  ) {
    super();
    this.cache = new BlockCache(size, BLOCK_SIZE, CACHED_BLOCKS, (start, end) => this.readRange(start, end));
  }

  /** Opens `path` for reading; throws Node's error (`ENOENT`, `EACCES`, or `EISDIR` for a folder). */
  static async open(path: string): Promise<{ reader: FileReader; size: number }> {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw Object.assign(new Error(`not a file: ${path}`), { code: 'EISDIR' });
      return { reader: new FileReader(handle, stat.size), size: stat.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null, bytesRead?: number) => void): void {
    if (length > BLOCK_SIZE) {
      super.read(buffer, offset, length, position, callback);
      return;
    }
    this.cache.readInto(buffer, offset, position, position + length, callback);
  }

  /** [start, end) in one Buffer: from cached blocks up to a block, else one positional read. */
  async readBytes(start: number, end: number): Promise<Buffer> {
    if (end - start > BLOCK_SIZE) return this.readRange(start, end);
    const slices = await this.cache.read(start, end);
    return slices.length === 1 ? slices[0]! : Buffer.concat(slices);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (end - start <= BLOCK_SIZE) {
      const slices = this.cache.read(start, end);
      // The stream reports the failure when read; a stream destroyed unread must not leave it unhandled.
      slices.catch(() => {});
      return Readable.from(yieldSlices(slices), { objectMode: false });
    }
    let position = start;
    const stream = new Readable({
      highWaterMark: READ_SIZE,
      read: () => {
        const length = Math.min(READ_SIZE, end - position);
        if (length <= 0) {
          stream.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        this.readsInFlight++;
        this.handle
          .read(buffer, 0, length, position)
          .then(
            ({ bytesRead }) => {
              if (bytesRead === 0) throw new Error(`unexpected end of file at offset ${position}`);
              position += bytesRead;
              stream.push(buffer.subarray(0, bytesRead));
            },
            (error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))),
          )
          .catch((error: unknown) => stream.destroy(error as Error))
          .finally(() => {
            this.readsInFlight--;
            this.closeIfIdle();
          });
      },
    });
    return stream;
  }

  /** [start, end) of the file in one positional read (a block or a run of blocks of the cache). */
  private async readRange(start: number, end: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(end - start);
    this.readsInFlight++;
    try {
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await this.handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) throw new Error(`unexpected end of file at offset ${start + filled}`);
        filled += bytesRead;
      }
      return buffer;
    } finally {
      this.readsInFlight--;
      this.closeIfIdle();
    }
  }

  /** yauzl calls this when the last user of the archive lets go; the file outlives reads in flight. */
  override close(callback: (error: Error | null) => void): void {
    this.pendingClose = callback;
    this.closeIfIdle();
  }

  /** Closes the file after a failed open, when yauzl never took ownership of the reader. */
  async discard(): Promise<void> {
    await this.handle.close();
  }

  private closeIfIdle(): void {
    const callback = this.pendingClose;
    if (!callback || this.readsInFlight > 0) return;
    this.pendingClose = undefined;
    this.cache.clear();
    this.handle.close().then(
      () => callback(null),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }
}
