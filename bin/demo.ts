// `npm run demo`: the main job end to end on the embedded S3-compatible server, no AWS account.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import yazl from 'yazl';
import { startLocalS3 } from '../tools/local-s3/start-local-s3.js';

const BUCKET = 'demo-bucket';
const root = resolve('.s3zipsync-local');
const dataDir = join(root, 'demo-s3');
const cli = fileURLToPath(new URL('./s3zipsync.js', import.meta.url));

rmSync(root, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const server = await startLocalS3({ directory: dataDir, buckets: [BUCKET] });
try {
  const zipPath = join(root, 'site.zip');
  const files = sampleFiles('v1');
  await writeZip(zipPath, files);
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
  const args = [zipPath, '--bucket', BUCKET, '--prefix', 'releases/site', '--endpoint-url', server.endpoint, '--force-path-style'];

  heading(`1/3 first sync of ${files.size} files: everything is New!`);
  await run(args, env);
  heading('2/3 the same zip again, with -v (without it, unchanged files get no line): everything is Ignored, nothing is uploaded');
  await run([...args, '-v'], env);
  heading('3/3 one file in the zip grew: only it is Updated!');
  files.set('docs/changelog.md', `${files.get('docs/changelog.md')}\n## 1.1.0\n- a fix\n`);
  await writeZip(zipPath, files);
  await run(args, env);

  process.stdout.write(`
The embedded S3 server kept its data in ${dataDir}/${BUCKET}/ (git-ignored).
To point the CLI at an embedded server by hand, start one and sync any zip into it:
  node dist/cli/launcher.js local-server --dir .s3zipsync-local/demo-s3 --port 4568 --bucket ${BUCKET} &
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 \\
    node dist/cli/launcher.js ${zipPath} --bucket ${BUCKET} --endpoint-url http://127.0.0.1:4568
`);
} finally {
  await server.stop();
}

function heading(text: string) {
  process.stdout.write(`\n=== ${text}\n$ s3zipsync ${'<zip> --bucket demo-bucket --prefix releases/site --endpoint-url <local> --force-path-style'}\n`);
}

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [cli, ...args, '--no-progress'], { env, stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`s3zipsync exited with ${code}`);
}

function sampleFiles(version: string): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  files.set('index.html', `<!doctype html><title>demo ${version}</title><h1>Hello from s3zipsync</h1>\n`);
  files.set('css/site.css', 'body { font-family: sans-serif; margin: 2rem; }\n'.repeat(20));
  files.set('js/app.js', `console.log(${JSON.stringify(version)});\n`.repeat(50));
  files.set('docs/changelog.md', '# Changelog\n\n## 1.0.0\n- first release\n');
  files.set('data/records.json', JSON.stringify(Array.from({ length: 500 }, (_, id) => ({ id, name: `record-${id}` }))));
  // A symbol-server style path and a binary body big enough to go through multipart upload (≥ 16 MiB).
  files.set('symbols/app.pdb/3F2504E04F8911D39A0C0305E82C33011/app.pdb', pseudoRandom(17 * 1024 * 1024));
  return files;
}

function pseudoRandom(size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update('s3zipsync-demo').digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

async function writeZip(path: string, files: Map<string, string | Buffer>) {
  const zip = new yazl.ZipFile();
  for (const [name, data] of files) zip.addBuffer(Buffer.from(data), name, { compress: !name.endsWith('.pdb') });
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await once(out, 'close');
}
