import assert from 'node:assert/strict';
import module from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLI } from '../helpers/run-cli.js';
import { loadedModules } from '../helpers/loaded-modules.js';

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
      assert.match(run.stdout, /Options:/);
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
