import assert from 'node:assert/strict';
import module from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLI } from '../helpers/run-cli.js';
import { loadedModules } from '../helpers/loaded-modules.js';
import { startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip } from '../helpers/zip-fixtures.js';

// What a command loads before it answers. The packaged launcher (dist/cli) is checked for --version;
// for --help the unbundled build (dist/bin, one file per module) is checked, since inside the bundle
// a lazily evaluated module leaves no trace a hook can see, while the bundle keeps exactly the
// import() boundaries this build has.
const UNBUNDLED = fileURLToPath(new URL('../../dist/bin/launcher.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const HEAVY = /@aws-sdk|@smithy|cli-progress|\/bench\/|s3rver|yauzl/;
// The bench command's choices for its --help: name lists that import nothing.
const NAME_LISTS = ['/dist/bench/suites/choices.js', '/dist/bench/suites/download/types.js'];
const heavy = (modules: string[]) => modules.filter((url) => HEAVY.test(url) && !NAME_LISTS.some((names) => url.endsWith(names)));

describe('what the CLI loads to start', () => {
  it('--version loads the launcher alone: not the CLI bundle, not yargs, not the SDK', async () => {
    const run = await loadedModules(CLI, ['--version']);
    assert.equal(run.stdout, `${VERSION}\n`);
    assert.deepEqual(run.modules, [`file://${CLI}`]);
  });

  for (const args of [['--help'], ['local-server', '--help'], ['bench', '--help']]) {
    it(`${args.join(' ')} loads no SDK, bench, progress-bar or zip code`, async () => {
      const run = await loadedModules(UNBUNDLED, args);
      assert.match(run.stdout, /--help +Show help/);
      assert.ok(run.modules.some((url) => url.includes('/node_modules/yargs/')), 'the recorder saw yargs load');
      assert.deepEqual(heavy(run.modules), []);
    });
  }

  it('a sync loads the SDK (the recorder sees what the --help checks above rule out)', async () => {
    const run = await loadedModules(UNBUNDLED, ['missing.zip', '--bucket', 'b', '--dry-run']);
    assert.equal(run.code, 2); // the zip does not exist
    assert.ok(run.modules.some((url) => url.includes('@aws-sdk')));
    assert.ok(heavy(run.modules).length > 0);
  });

  const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  it('the launcher enables the module compile cache where Node has one (22.1 and later)', { skip: !hasCompileCache && `Node ${process.version} has no module.enableCompileCache` }, async () => {
    assert.match(await compileCacheDirAtExit(), /^cache:\/.+/);
  });
});

// The SDK client (every command's schema) and lib-storage: what a sync loads only for a request
// the lean path does not send (multipart, a streamed PUT, CopyObject, an S3 zip). Its endpoint
// rules and value lists (client-s3's endpoint/ and models/enums files) are read on their own.
const SDK_CLIENT = /@aws-sdk\/client-s3\/dist-(es|cjs)\/(?!endpoint\/|models\/enums\.js)|@aws-sdk\/lib-storage|\/src\/s3\/(create-client|sdk-commands)\.js/;

describe('what a sync of small files loads', () => {
  let s3: TestS3;
  let folder: string;
  let zip: string;
  before(async () => {
    s3 = await startTestS3(['modules']);
    folder = mkdtempSync(join(tmpdir(), 's3zipsync-modules-zip-'));
    zip = join(folder, 'small.zip');
    writeFileSync(zip, await makeZip(Array.from({ length: 20 }, (_, i) => ({ name: `site/page-${i}.html`, data: `<p>${i}</p>` }))));
  });
  after(async () => {
    await s3.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a first sync and a no-change re-sync send every request the lean way and never load the SDK client', async () => {
    const args = [zip, '--bucket', 'modules', '--json', '--no-progress'];
    const first = await loadedModules(UNBUNDLED, args, undefined, s3.env);
    assert.equal(first.code, 0, first.stdout);
    assert.match(first.stdout, /"new":20/);
    const again = await loadedModules(UNBUNDLED, args, undefined, s3.env);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /"ignored":20/);
    for (const run of [first, again]) {
      assert.ok(run.modules.some((url) => url.includes('/@aws-sdk/credential-provider-node/')), 'the recorder saw the credential chain load');
      assert.ok(run.modules.some((url) => url.includes('/@aws-sdk/client-s3/dist-es/endpoint/bdd.js')), "the recorder saw the client's endpoint rules load");
      assert.deepEqual(run.modules.filter((url) => SDK_CLIENT.test(url)), []);
    }
  });

  it('an entry over the buffered limit goes through the SDK, which is loaded then (the check above can see it)', async () => {
    const large = join(folder, 'large.zip');
    writeFileSync(large, await makeZip([{ name: 'big.bin', data: Buffer.alloc(6 * 1024 * 1024, 7) }]));
    const run = await loadedModules(UNBUNDLED, [large, '--bucket', 'modules', '--prefix', 'large', '--json', '--no-progress'], undefined, s3.env);
    assert.equal(run.code, 0, run.stdout);
    assert.ok(run.modules.some((url) => SDK_CLIENT.test(url)));
  });
});

/** What `module.getCompileCacheDir()` says when the launcher's `--help` exits ("cache:none" if no cache is on). */
async function compileCacheDirAtExit(): Promise<string> {
  const probe = "import module from 'node:module'; process.on('exit', () => process.stderr.write('cache:' + (module.getCompileCacheDir?.() ?? 'none')));";
  // Without the variables that would switch the cache on or off from outside.
  const { NODE_COMPILE_CACHE: _on, NODE_DISABLE_COMPILE_CACHE: _off, ...env } = process.env;
  const { execFile } = await import('node:child_process');
  return new Promise<string>((done, fail) =>
    execFile(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, CLI, '--help'], { env }, (error, _stdout, stderr) => (error ? fail(error) : done(stderr))),
  );
}
