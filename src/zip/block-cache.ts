/**
 * The blocks of a remote file held in memory, least recently used dropped first.
 *
 * A block is `blockSize` bytes at a multiple of `blockSize` (the last one may be shorter). Missing
 * blocks that one read needs are fetched together, as one contiguous range, so a read that straddles
 * a boundary (the zip's tail, a small entry) still costs one request. A block being fetched is shared
 * by every reader that asks for it meanwhile, so concurrent entries in the same block cost one request.
 */
export type FetchRange = (start: number, end: number) => Promise<Buffer>;

export class BlockCache {
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly fileSize: number,
    private readonly blockSize: number,
    private readonly maxBlocks: number,
    private readonly fetchRange: FetchRange,
  ) {}

  /** The bytes [start, end) as slices of cached blocks, fetching what is missing. */
  async read(start: number, end: number): Promise<Buffer[]> {
    if (start < 0 || end > this.fileSize || start > end) {
      throw new RangeError(`read [${start}, ${end}) outside a file of ${this.fileSize} bytes`);
    }
    if (start === end) return [];
    const first = Math.floor(start / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    this.fetchMissing(first, last);
    const slices: Buffer[] = [];
    for (let index = first; index <= last; index++) {
      const block = await this.block(index);
      const blockStart = index * this.blockSize;
      slices.push(block.subarray(Math.max(start - blockStart, 0), Math.min(end - blockStart, block.length)));
    }
    return slices;
  }

  /** [start, end) copied into `buffer` at `offset`, answered the way yauzl's RandomAccessReader.read is. */
  readInto(buffer: Buffer, offset: number, start: number, end: number, callback: (error: Error | null, bytesRead?: number) => void): void {
    this.read(start, end).then(
      (slices) => {
        let at = offset;
        for (const slice of slices) at += slice.copy(buffer, at);
        callback(null, at - offset);
      },
      (error: Error) => callback(error),
    );
  }

  clear(): void {
    this.blocks.clear();
  }

  private block(index: number): Promise<Buffer> {
    const cached = this.blocks.get(index);
    if (cached) {
      // Re-inserting moves it to the most recently used end of the Map's order.
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }
    // Evicted between fetchMissing and now (many concurrent readers): fetch it again alone.
    this.fetchMissing(index, index);
    return this.blocks.get(index)!;
  }

  private fetchMissing(first: number, last: number): void {
    let runStart: number | undefined;
    for (let index = first; index <= last + 1; index++) {
      const missing = index <= last && !this.blocks.has(index);
      if (missing && runStart === undefined) runStart = index;
      if (!missing && runStart !== undefined) {
        this.fetchRun(runStart, index - 1);
        runStart = undefined;
      }
    }
  }

  private fetchRun(first: number, last: number): void {
    const start = first * this.blockSize;
    const end = Math.min((last + 1) * this.blockSize, this.fileSize);
    const bytes = this.fetchRange(start, end);
    for (let index = first; index <= last; index++) {
      const offset = (index - first) * this.blockSize;
      const block = bytes.then((buffer) => buffer.subarray(offset, offset + this.blockSize));
      // A failed fetch must not stay cached: the next reader retries it.
      block.catch(() => {
        if (this.blocks.get(index) === block) this.blocks.delete(index);
      });
      this.blocks.set(index, block);
    }
    this.evict();
  }

  private evict(): void {
    for (const index of this.blocks.keys()) {
      if (this.blocks.size <= this.maxBlocks) return;
      this.blocks.delete(index);
    }
  }
}

/** The slices of one cached read, for a stream: `Readable.from(yieldSlices(cache.read(…)))`. */
export async function* yieldSlices(slices: Promise<Buffer[]>): AsyncGenerator<Buffer> {
  yield* await slices;
}
