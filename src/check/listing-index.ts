import type { ListedPage } from '../s3/list-prefix.js';
import type { RemoteObject } from './existence-check.js';

/**
 * What a listing has shown of the keys a run asks about. Only wanted keys are kept (one map entry
 * per archive key found); every other listed object is dropped with its page, so memory grows with
 * the archive, not with the bucket.
 */
export class ListingIndex {
  readonly found = new Map<string, RemoteObject>();
  pages = 0;
  /** Objects shown, wanted or not. */
  listed = 0;
  /** False once the server listed a key out of S3's byte order (see ListedPage.inOrder). */
  inOrder = true;

  constructor(private readonly wanted: ReadonlySet<string>) {}

  /** Records a page, and calls `shown` with each wanted key it showed. */
  take(page: ListedPage, shown: (key: string, remote: RemoteObject) => void): void {
    this.pages++;
    this.listed += page.objects.length;
    this.inOrder = page.inOrder;
    for (const object of page.objects) {
      if (!this.wanted.has(object.key)) continue;
      // Two shapes, no spread: this runs once per listed key.
      const remote: RemoteObject = object.etag ? { size: object.size, etag: object.etag } : { size: object.size };
      this.found.set(object.key, remote);
      shown(object.key, remote);
    }
  }

  describe(listingPrefix: string): string {
    return `ListObjectsV2 of ${JSON.stringify(listingPrefix)}: ${this.listed} object${this.listed === 1 ? '' : 's'} in ${this.pages} page${this.pages === 1 ? '' : 's'}`;
  }
}
