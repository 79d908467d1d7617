/**
 * The floor that bench/client-cost.ts measures s3zipsync against: the least a Node program can do
 * for the same sync. It lists the prefix, and PUTs every zip entry whose key is missing or has
 * another size, each read whole and sent as one signed request (the SDK's own signer) over a
 * keep-alive agent, CONCURRENCY at a time. No validation, no retries, no output.
 * Usage: node floor.js ZIP ENDPOINT BUCKET PREFIX [CONCURRENCY, default 16] (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
 */
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest, buildQueryString, extendedEncodeURIComponent } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'node:http';
import yauzl from 'yauzl';

const [zipPath, endpoint, bucket, prefix, inFlight = '16'] = process.argv.slice(2) as [string, string, string, string, string?];
const concurrency = Number(inFlight);
const url = new URL(endpoint);
const agent = new Agent({ keepAlive: true, maxSockets: 2 * concurrency });
const signer = new SignatureV4({
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
  region: 'us-east-1',
  service: 's3',
  sha256: Sha256,
  uriEscapePath: false,
});
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Contents' });

async function send(method: string, path: string, query: Record<string, string>, body?: Buffer): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { host: url.host, ...(body ? { 'content-length': String(body.length) } : {}) };
  const signed = await signer.sign(new HttpRequest({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query, headers, ...(body ? { body } : {}) }));
  const search = buildQueryString(query);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, method, path: search ? `${path}?${search}` : path, headers: signed.headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const listed = new Map<string, number>();
let token: string | undefined;
do {
  const answer = await send('GET', `/${bucket}/`, { 'list-type': '2', prefix, ...(token ? { 'continuation-token': token } : {}) });
  const result = (parser.parse(answer.body) as { ListBucketResult: { Contents?: { Key: string; Size: string }[]; IsTruncated?: string; NextContinuationToken?: string } }).ListBucketResult;
  for (const object of result.Contents ?? []) listed.set(object.Key, Number(object.Size));
  token = result.IsTruncated === 'true' ? result.NextContinuationToken : undefined;
} while (token);

const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipPath, { lazyEntries: false, autoClose: false }, (error, file) => (error ? reject(error) : resolve(file))));
const entries: yauzl.Entry[] = [];
zip.on('entry', (entry: yauzl.Entry) => {
  if (!entry.fileName.endsWith('/')) entries.push(entry);
});
await new Promise((resolve) => zip.once('end', resolve));
const pending = entries.filter((entry) => listed.get(prefix + entry.fileName) !== entry.uncompressedSize);

function readWhole(entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    }),
  );
}

let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < pending.length) {
      const entry = pending[next++]!;
      const key = prefix + entry.fileName;
      const answer = await send('PUT', `/${bucket}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`, {}, await readWhole(entry));
      if (answer.status !== 200) throw new Error(`PUT ${key}: HTTP ${answer.status}`);
    }
  }),
);
zip.close();
agent.destroy();
