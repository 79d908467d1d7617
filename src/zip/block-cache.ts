/**
 * The blocks of a remote file held in memory, least recently used dropped first.
 *
 * A block is `blockSize` bytes at a multiple of `blockSize` from the start of its segment (the last
 * one of a segment may be shorter). Segments are the file cut at the offsets given to addCuts, none
 * at first: a block never crosses a cut, so a reader that knows where the bytes it needs begin and
 * end (the central directory, one shard's entries) fetches those and not its neighbours'. Missing
 * blocks that one read needs are fetched together, as one contiguous range, so a read that
 * straddles a boundary (the zip's tail, a small entry) still costs one request. A block being
 * fetched is shared by every reader that asks for it meanwhile, so concurrent entries in the same
 * block cost one request.
 */
export type FetchRange = (start: number, end: number) => Promise<Buffer>;

interface Block {
  start: number;
  end: number;
}

export class BlockCache {
  /** By start offset; a cached block whose end no longer matches the layout is a miss. */
  private readonly blocks = new Map<number, { end: number; bytes: Promise<Buffer>; loaded?: Buffer }>();
  /** The block a read last took from memory: moved to the recent end once, not on every read. */
  private lastUsed: number | undefined;
  /** Sorted, each strictly inside the file. */
  private cuts: number[] = [];

  constructor(
    private readonly fileSize: number,
    private readonly blockSize: number,
    private readonly maxBlocks: number,
    private readonly fetchRange: FetchRange,
  ) {}

  /**
   * Block edges at these offsets from now on, besides those already given. Offsets outside the file
   * are ignored: cuts only decide what one request fetches, never which bytes a read returns.
   */
  addCuts(offsets: readonly number[]): void {
    const cuts = new Set(this.cuts);
    for (const offset of offsets) if (Number.isSafeInteger(offset) && offset > 0 && offset < this.fileSize) cuts.add(offset);
    this.cuts = [...cuts].sort((a, b) => a - b);
    for (const [start, block] of this.blocks) {
      if (this.blockAt(start).end !== block.end) this.blocks.delete(start);
    }
  }

  /** The bytes [start, end) as slices of cached blocks, fetching what is missing. */
  async read(start: number, end: number): Promise<Buffer[]> {
    if (start < 0 || end > this.fileSize || start > end) {
      throw new RangeError(`read [${start}, ${end}) outside a file of ${this.fileSize} bytes`);
    }
    if (start === end) return [];
    const needed: Block[] = [];
    for (let at = start; at < end; ) {
      const block = this.blockAt(at);
      needed.push(block);
      at = block.end;
    }
    this.fetchMissing(needed);
    const slices: Buffer[] = [];
    for (const block of needed) {
      const bytes = await this.block(block);
      slices.push(bytes.subarray(Math.max(start - block.start, 0), Math.min(end - block.start, bytes.length)));
    }
    return slices;
  }

  /** [start, end) copied into `buffer` at `offset`, answered the way yauzl's RandomAccessReader.read is. */
  readInto(buffer: Buffer, offset: number, start: number, end: number, callback: (error: Error | null, bytesRead?: number) => void): void {
    // Reading a central directory is two reads per entry from one or two blocks already in memory:
    // copied at once and answered in a microtask (never synchronously: yauzl would recurse once per
    // entry), a third of the CPU of going through `read`'s promises.
    const copied = this.copyLoaded(buffer, offset, start, end);
    if (copied !== undefined) {
      queueMicrotask(() => callback(null, copied));
      return;
    }
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

  /** Bytes copied when every block of [start, end) is in memory already; undefined otherwise. */
  private copyLoaded(buffer: Buffer, offset: number, start: number, end: number): number | undefined {
    if (start < 0 || end > this.fileSize || start >= end) return undefined;
    let at = offset;
    for (let position = start; position < end; ) {
      const block = this.blockAt(position);
      const entry = this.blocks.get(block.start);
      if (entry?.end !== block.end || !entry.loaded) return undefined;
      if (this.lastUsed !== block.start) {
        this.blocks.delete(block.start);
        this.blocks.set(block.start, entry);
        this.lastUsed = block.start;
      }
      at += entry.loaded.copy(buffer, at, position - block.start, Math.min(end, block.end) - block.start);
      position = block.end;
    }
    return at - offset;
  }

  /** The block holding `position` in the current layout. */
  private blockAt(position: number): Block {
    let low = 0;
    let high = this.cuts.length;
    // The first cut above position: its segment ends there, and starts at the cut before it (or 0).
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cuts[middle]! <= position) low = middle + 1;
      else high = middle;
    }
    const segmentStart = low > 0 ? this.cuts[low - 1]! : 0;
    const segmentEnd = low < this.cuts.length ? this.cuts[low]! : this.fileSize;
    const start = segmentStart + Math.floor((position - segmentStart) / this.blockSize) * this.blockSize;
    return { start, end: Math.min(start + this.blockSize, segmentEnd) };
  }

  private cached(block: Block): Promise<Buffer> | undefined {
    const cached = this.blocks.get(block.start);
    return cached?.end === block.end ? cached.bytes : undefined;
  }

  private block(block: Block): Promise<Buffer> {
    const cached = this.cached(block);
    if (cached) {
      // Re-inserting moves it to the most recently used end of the Map's order.
      const entry = this.blocks.get(block.start)!;
      this.blocks.delete(block.start);
      this.blocks.set(block.start, entry);
      this.lastUsed = block.start;
      return cached;
    }
    // Evicted between fetchMissing and now (many concurrent readers): fetch it again alone.
    this.fetchMissing([block]);
    return this.cached(block)!;
  }

  /** Runs of consecutive missing blocks, each fetched with one request. */
  private fetchMissing(blocks: readonly Block[]): void {
    let run: Block[] = [];
    for (const block of blocks) {
      if (!this.cached(block)) {
        run.push(block);
        continue;
      }
      if (run.length > 0) this.fetchRun(run);
      run = [];
    }
    if (run.length > 0) this.fetchRun(run);
  }

  private fetchRun(run: readonly Block[]): void {
    const start = run[0]!.start;
    const bytes = this.fetchRange(start, run[run.length - 1]!.end);
    for (const { start: blockStart, end } of run) {
      const block = bytes.then((buffer) => buffer.subarray(blockStart - start, end - start));
      // A failed fetch must not stay cached: the next reader retries it.
      block.catch(() => {
        if (this.blocks.get(blockStart)?.bytes === block) this.blocks.delete(blockStart);
      });
      // A stale block at the same start (cut since) gives way, and the new one is the most recent.
      this.blocks.delete(blockStart);
      const entry: { end: number; bytes: Promise<Buffer>; loaded?: Buffer } = { end, bytes: block };
      this.blocks.set(blockStart, entry);
      this.lastUsed = blockStart;
      block.then(
        (loaded) => (entry.loaded = loaded),
        () => {},
      );
    }
    this.evict();
  }

  private evict(): void {
    for (const start of this.blocks.keys()) {
      if (this.blocks.size <= this.maxBlocks) return;
      this.blocks.delete(start);
    }
  }
}

/** The slices of one cached read, for a stream: `Readable.from(yieldSlices(cache.read(…)))`. */
export async function* yieldSlices(slices: Promise<Buffer[]>): AsyncGenerator<Buffer> {
  yield* await slices;
}
