// The listing-page parser's thread (list-page-parser.ts): parses ListObjectsV2 pages and answers in
// columns, arrays of strings and numbers, which cross threads several times faster than objects.
import { parentPort } from 'node:worker_threads';
import { parseListObjectsV2 } from './s3-xml.js';
import type { ListPageRequest, ListPageAnswer } from './list-page-parser.js';

const port = parentPort;
if (!port) throw new Error('list-page-worker.js runs as a worker thread only');

port.on('message', ({ id, body }: ListPageRequest) => {
  let answer: ListPageAnswer;
  try {
    const page = parseListObjectsV2(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    const count = page.Contents.length;
    const keys = new Array<string>(count);
    const sizes = new Float64Array(count);
    const etags = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const object = page.Contents[i]!;
      keys[i] = object.Key;
      sizes[i] = object.Size;
      etags[i] = object.ETag ?? '';
    }
    const { Contents: _, ...rest } = page;
    answer = { id, keys, sizes, etags, rest };
  } catch {
    // The caller parses the page itself, for the same error as without a thread.
    answer = { id, failed: true };
  }
  port.postMessage(answer);
});
port.postMessage('ready');
