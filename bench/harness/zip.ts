import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** Every generated archive carries this time, so runs on different days write the same bytes. */
export const FIXTURE_MTIME = new Date('2024-01-01T00:00:00Z');

/** Ends `zip` and streams it to `path`; returns the archive's size in bytes. */
export async function writeZipFile(zip: yazl.ZipFile, path: string): Promise<number> {
  zip.end();
  let bytes = 0;
  zip.outputStream.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(zip.outputStream, createWriteStream(path));
  return bytes;
}

/** A small archive held in memory, entries deflated, for figures whose files fit in memory. */
export async function zipBuffer(entries: Iterable<{ name: string; data: Buffer | string }>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.data), entry.name, { mtime: FIXTURE_MTIME });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
