import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The package as a user gets it: `npm pack` (of the dist/ that `npm test` just built), installed into
// a consumer project whose own package.json says 1.0.0, without our dev dependencies.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OWN = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPES_NODE = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The CLI reads every S3ZIPSYNC_* variable as an option and warns about unknown ones: the test
// harness's own (S3ZIPSYNC_TEST_SERVER, S3ZIPSYNC_RGW_* under `npm run test:rgw`) are not for it.
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('S3ZIPSYNC_')));

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((done) =>
    execFile(command, args, { cwd, env: ENV, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    ),
  );
}

describe('the npm package, installed into a consumer project', { timeout: 300_000 }, () => {
  let work: string;
  let consumer: string;
  let packed: string[];
  let install: Run;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 's3zipsync-package-'));
    // --ignore-scripts: pack the dist/ that was built, without `prepack` rebuilding it mid-suite.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    assert.equal(pack.code, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    packed = info.files.map((file) => file.path);
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    // Optional dependencies (the embedded server) are left out: nothing below uses them. --prefer-offline
    // takes the packages from npm's cache, which the repository's own install filled.
    install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', join(work, info.filename), `@types/node@${TYPES_NODE}`], consumer);
    assert.equal(install.code, 0, install.stderr);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships the library, the CLI bundle, the --json schema and the license, and nothing else', () => {
    const unexpected = packed.filter((path) => !/^(package\.json|README\.md|LICENSE|\.env\.example|dist\/src\/.+\.(js|d\.ts|js\.map)|dist\/cli\/.+|schema\/json-output\.v\d+\.json)$/.test(path));
    assert.deepEqual(unexpected, []);
    for (const path of ['LICENSE', 'dist/cli/launcher.js', 'dist/cli/s3zipsync.js', 'dist/cli/s3zipsync.js.map', 'dist/cli/THIRD-PARTY-LICENSES.txt', 'dist/src/index.d.ts', 'dist/src/lambda/handler.js', 'schema/json-output.v1.json']) {
      assert.ok(packed.includes(path), `${path} is packed`);
    }
  });

  it('a consumer resolves the --json schema through the package exports', () => {
    const resolved = createRequire(join(consumer, 'package.json')).resolve('s3zipsync/schema/json-output.v1.json');
    const schema = JSON.parse(readFileSync(resolved, 'utf8')) as { $id: string; title: string };
    assert.equal(schema.$id, 'urn:s3zipsync:json-output:v1');
  });

  it('every shipped source map carries the sources it points at', () => {
    const installed = join(consumer, 'node_modules/s3zipsync');
    const maps = packed.filter((path) => path.endsWith('.js.map'));
    assert.ok(maps.length > 10);
    for (const path of maps) {
      const map = JSON.parse(readFileSync(join(installed, path), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      const missing = map.sources.filter((_, index) => typeof map.sourcesContent?.[index] !== 'string');
      assert.deepEqual(missing, [], `${path} lacks the content of some sources`);
    }
  });

  it('npm install prints no warning about s3zipsync or install scripts', () => {
    const ours = install.stderr.split('\n').filter((line) => /warn/i.test(line) && /s3zipsync|install.?scripts/i.test(line));
    assert.deepEqual(ours, []);
  });

  it("--version prints s3zipsync's own version, not the consumer's 1.0.0", async () => {
    const bin = join(consumer, 'node_modules/.bin/s3zipsync');
    const launcher = await run(bin, ['--version'], consumer);
    assert.deepEqual(launcher, { code: 0, stdout: `${OWN.version}\n`, stderr: '' });
    // The same answer from yargs, when --version comes after other arguments or the bundle is run directly.
    const bundle = await run(process.execPath, [join(consumer, 'node_modules/s3zipsync/dist/cli/s3zipsync.js'), '--version'], consumer);
    assert.deepEqual(bundle, { code: 0, stdout: `${OWN.version}\n`, stderr: '' });
  });

  it('the installed CLI runs without our dev dependencies: --help, and a sync up to its first check', async () => {
    const bin = join(consumer, 'node_modules/.bin/s3zipsync');
    assert.deepEqual(readdirSync(join(consumer, 'node_modules')).filter((name) => ['yargs', 'cli-progress', 'esbuild'].includes(name)), []);
    const help = await run(bin, ['--help'], consumer);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--bucket/);
    const sync = await run(bin, ['missing.zip', '--bucket', 'b'], consumer);
    assert.deepEqual({ code: sync.code, stderr: sync.stderr }, { code: 2, stderr: 's3zipsync: zip file not found: missing.zip\n' });
  });

  it('its .d.ts type-check in a strict consumer project without skipLibCheck', async () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] }, include: ['index.ts'] }),
    );
    writeFileSync(
      join(consumer, 'index.ts'),
      [
        "import { S3ZipSyncError, syncZip, type SyncReport } from 's3zipsync';",
        "import { handler, type HandlerResult } from 's3zipsync/lambda';",
        "const report: Promise<SyncReport> = syncZip({ zip: 'site.zip', bucket: 'b', prefix: 'www' });",
        'const result: Promise<HandlerResult> = handler({});',
        "const error: S3ZipSyncError = new S3ZipSyncError('INVALID_OPTION', 'x');",
        'export { report, result, error };',
        '',
      ].join('\n'),
    );
    const tsc = await run(process.execPath, [TSC, '-p', '.'], consumer);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });
});

describe('the repository', () => {
  it("npm install has no dependency whose install script package.json's allowScripts leaves unreviewed", async (t) => {
    const ls = await run('npm', ['install-scripts', 'ls'], ROOT);
    if (ls.code !== 0 && /Unknown command/i.test(ls.stdout + ls.stderr)) return t.skip('this npm has no allowScripts (before 11.16)');
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /No packages with unreviewed install scripts/);
  });
});
