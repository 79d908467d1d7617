import { inByteOrder } from './key-order.js';
import type { ListObjectsV2Page, S3Transport } from './transport/transport.js';

/**
 * The first ListObjectsV2 page of the run's prefix, asked for while the archive's central directory
 * is still being read, once its end record says the run will list in key ranges. The listing needs
 * the archive's keys to plan its ranges and narrow its prefix; its first page needs neither when the
 * prefix holds just the archive's files, as on a re-sync. Against a remote S3 (one round trip and a
 * page, 80–250 ms) the listing then starts with its first page already here.
 */
export interface EarlyFirstPage {
  /** The run's prefix, which it lists from its start. */
  readonly prefix: string;
  readonly page: Promise<ListObjectsV2Page>;
  /** Resolves once its request is on its way. */
  readonly sent: Promise<void>;
  /** Drops it (the run lists after all from elsewhere, or not at all): its request is aborted if still in flight. */
  abandon(): void;
}

export function askFirstPageEarly(transport: S3Transport, bucket: string, prefix: string, signal: AbortSignal): EarlyFirstPage {
  const own = new AbortController();
  let sent!: () => void;
  const onSent = new Promise<void>((resolve) => (sent = resolve));
  const page = transport.listObjectsV2({ bucket, prefix, maxKeys: 1000 }, AbortSignal.any([signal, own.signal]), { onSent: () => sent() });
  // Awaited by the listing that takes it; one nobody takes fails unseen.
  page.catch(() => {});
  return { prefix, page, sent: onSent, abandon: () => own.abort() };
}

/**
 * The early page (a listing of `pagePrefix` from its start) as the first page of a listing of
 * `listingPrefix`, which starts with `pagePrefix` (the archive's keys' common prefix under the run's
 * prefix); undefined when it cannot stand for it. Keys starting with one prefix sort together, so
 * when the page's first key is under `listingPrefix` (nothing under `pagePrefix` sorts before that
 * listing) its keys under `listingPrefix` are that listing's first ones; a key past them ends that
 * listing. A page standing for another prefix carries no token (tokens belong to their request):
 * its listing goes on after its last key. A page out of S3's byte order (s3rver) stands for nothing
 * but itself.
 */
export function asFirstPageOf(page: ListObjectsV2Page, pagePrefix: string, listingPrefix: string): ListObjectsV2Page | undefined {
  if (listingPrefix === pagePrefix) return page;
  if (!listingPrefix.startsWith(pagePrefix) || !inByteOrder(page)) return undefined;
  const contents = page.Contents;
  if (contents.length === 0) return page.IsTruncated ? undefined : { Contents: [], CommonPrefixes: [], IsTruncated: false };
  if (!contents[0]!.Key.startsWith(listingPrefix)) return undefined;
  const under = contents.findIndex((object) => !object.Key.startsWith(listingPrefix));
  if (under >= 0) return { Contents: contents.slice(0, under), CommonPrefixes: [], IsTruncated: false };
  return { Contents: contents, CommonPrefixes: [], IsTruncated: page.IsTruncated };
}
