import { S3ZipSyncError } from '../errors.js';
import { checkListRanges, LIST_PAGE_KEYS, planKeyRanges, rangeCountFor } from './key-ranges.js';
import type { EarlyFirstPage } from './early-first-page.js';
import { emptyShape, listKeyRanges, type RangedListingShape } from './list-key-ranges.js';
import type { ListedPage } from './list-prefix.js';
import { listErrorToRunError } from './preflight.js';
import { describeS3Error } from './s3-error.js';
import type { S3Requests } from './session.js';

/** Sees each page of a shared listing as it passes, then its end or its failure. */
export interface ListingObserver {
  page(page: ListedPage): void;
  end(): void;
  fail(error: unknown): void;
}

/**
 * One listing of a prefix that several consumers read, as rclone's march does: the consumer that
 * needs every page (the deletion plan) drives it through `pages()`, and observers (an existence
 * check) see each page on the way, so a mirror run lists once.
 *
 * Errors are S3ZipSyncErrors. When an observer answers checks from it, the first page is the run's
 * bucket check, so its failure names the bucket, credentials or endpoint problem.
 */
export class SharedListing {
  private readonly observers: ListingObserver[] = [];
  private driven = false;

  constructor(
    private readonly session: S3Requests,
    readonly bucket: string,
    /** Normalized: '' or ending in '/'. */
    readonly prefix: string,
    private readonly signal?: AbortSignal,
    private readonly options: SharedListingOptions = {},
  ) {
    checkListRanges(options.listRanges);
  }

  /** Key ranges and fallback, once listed (for the `Checks:` line). */
  readonly shape: RangedListingShape = emptyShape();

  observe(observer: ListingObserver): void {
    this.observers.push(observer);
  }

  /**
   * Every page, once; a second call is a programming error. `keys`, the archive's keys under the
   * prefix, place the split points of the key ranges listed in parallel.
   */
  async *pages(keys: Iterable<string> = []): AsyncGenerator<ListedPage> {
    if (this.driven) throw new Error('a shared listing is read once');
    this.driven = true;
    const known = [...keys];
    const count = rangeCountFor(this.options.listRanges, known.length, this.options.concurrency);
    const ranges = count > 1 ? () => planKeyRanges(known, count, this.prefix, LIST_PAGE_KEYS) : [{}];
    let first = true;
    try {
      for await (const page of listKeyRanges(this.session.transport, this.bucket, this.prefix, this.signal, {
        ranges,
        shape: this.shape,
        ...(this.options.firstPage ? { firstPage: this.options.firstPage } : {}),
      })) {
        first = false;
        for (const observer of this.observers) observer.page(page);
        yield page;
      }
    } catch (error) {
      const failure =
        first && this.observers.length > 0
          ? await listErrorToRunError(this.session.access, this.bucket, error)
          : new S3ZipSyncError('S3_ERROR', `listing s3://${this.bucket}/${this.prefix} for deletion failed, nothing was written or deleted: ${describeS3Error(error)}`, { cause: error });
      for (const observer of this.observers) observer.fail(failure);
      throw failure;
    }
    for (const observer of this.observers) observer.end();
  }
}

export interface SharedListingOptions {
  /** Key ranges listed in parallel; 1 is one sequential listing. Default: `chooseRangeCount`. */
  listRanges?: number;
  /** The run's request concurrency, which bounds the default number of ranges. */
  concurrency?: number;
  /** The prefix's first page, asked for while the archive was read (early-first-page.ts). */
  firstPage?: EarlyFirstPage;
}
