import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseListObjectsV2 } from './s3-xml.js';
import type { ListObjectsV2Page } from './transport.js';

/**
 * Parses ListObjectsV2 pages: on a thread of its own when the machine has a core to spare, else
 * inline. A page of 1,000 keys takes ~5 ms of JavaScript to parse (radosgw's 300 KB), and a listing
 * in key ranges brings many at once: 100 for 100,000 keys, half a second of the main thread, which
 * the checks and the next requests wait behind. Sent to the thread as bytes and answered in
 * columns, a page costs the main thread about a tenth of that
 * (bench/results/2026-12-06-list-page-thread.md).
 */
export interface ListPageParser {
  parse(body: Buffer): Promise<ListObjectsV2Page>;
  /** A listing of many pages is starting: start the thread now, so that it is up when they come. */
  warmUp(): void;
  /** Pages parsed on the thread so far. */
  readonly threadPages: number;
  close(): Promise<void>;
}

/** @internal The messages between the parser and its thread. */
export interface ListPageRequest {
  id: number;
  body: Uint8Array;
}
/** @internal */
export type ListPageAnswer =
  | { id: number; keys: string[]; sizes: Float64Array; etags: string[]; rest: Omit<ListObjectsV2Page, 'Contents'> }
  | { id: number; failed: true };

/** Pages smaller than this are parsed inline: the trip to the thread and back would cost more. */
export const THREAD_PAGE_BYTES = 32 * 1024;

export function inlineListPageParser(): ListPageParser {
  return {
    parse: async (body) => parseListObjectsV2(body.toString('utf8')),
    warmUp() {},
    threadPages: 0,
    close: async () => {},
  };
}

export interface ThreadOptions {
  /** The worker script; default: list-page-worker.js beside this module. */
  workerUrl?: URL;
  /** Default: a thread only when the process may run on more than one core. */
  useThread?: boolean;
}

/**
 * A parser with a thread started on first need (warmUp, or the first page of THREAD_PAGE_BYTES).
 * Until the thread is up, and for good if it fails to start or dies, pages are parsed inline: a
 * page in flight to a thread that fails is parsed inline too, so nothing waits on a broken thread.
 * The thread never keeps the process alive.
 */
export function threadedListPageParser(options: ThreadOptions = {}): ListPageParser {
  const useThread = options.useThread ?? availableParallelism() > 1;
  if (!useThread) return inlineListPageParser();
  let worker: Worker | undefined;
  let state: 'idle' | 'starting' | 'ready' | 'broken' = 'idle';
  let nextId = 0;
  let threadPages = 0;
  const pending = new Map<number, { body: Buffer; resolve: (page: ListObjectsV2Page) => void; reject: (error: unknown) => void }>();

  const parseInline = async (body: Buffer) => parseListObjectsV2(body.toString('utf8'));
  const settleInline = (id: number) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    parseInline(waiting.body).then(waiting.resolve, waiting.reject);
  };
  const breakDown = () => {
    state = 'broken';
    worker = undefined;
    for (const id of [...pending.keys()]) settleInline(id);
  };

  const start = () => {
    if (state !== 'idle') return;
    state = 'starting';
    const url = options.workerUrl ?? defaultWorkerUrl();
    // A bundle without the worker's file beside it (the Lambda example's one file) parses inline.
    if (!existsSync(fileURLToPath(url))) {
      breakDown();
      return;
    }
    try {
      worker = new Worker(url);
    } catch {
      breakDown();
      return;
    }
    worker.unref();
    worker.on('message', (message: ListPageAnswer | 'ready') => {
      if (message === 'ready') {
        state = 'ready';
        return;
      }
      if ('failed' in message) return settleInline(message.id);
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      threadPages++;
      waiting.resolve(fromColumns(message));
    });
    worker.on('error', breakDown);
    worker.on('exit', breakDown);
  };

  return {
    parse(body) {
      if (body.length < THREAD_PAGE_BYTES) return parseInline(body);
      start();
      if (state !== 'ready' || !worker) return parseInline(body);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { body, resolve, reject });
        // Copied, not transferred: the body may share its memory with other buffers.
        worker!.postMessage({ id, body } satisfies ListPageRequest);
      });
    },
    warmUp: start,
    get threadPages() {
      return threadPages;
    },
    async close() {
      const closing = worker;
      breakDown();
      await closing?.terminate();
    },
  };
}

function fromColumns(answer: Extract<ListPageAnswer, { keys: string[] }>): ListObjectsV2Page {
  const { keys, sizes, etags } = answer;
  const contents: ListObjectsV2Page['Contents'] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    contents[i] = etags[i] ? { Key: keys[i]!, Size: sizes[i]!, ETag: etags[i]! } : { Key: keys[i]!, Size: sizes[i]! };
  }
  return { ...answer.rest, Contents: contents };
}

/** Beside this module: list-page-worker.js in the package, and in the CLI bundle (its own entry point there). */
function defaultWorkerUrl(): URL {
  return new URL('./list-page-worker.js', import.meta.url);
}
