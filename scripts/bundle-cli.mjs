// Bundles the CLI for the package: dist/cli/launcher.js (the bin: answers --version, enables the
// compile cache) and dist/cli/s3zipsync.js with its chunk-*.js beside it (everything else,
// dependencies included). A few bundled files start faster than hundreds resolved and read from
// node_modules, and each dynamic import() is a chunk boundary, so a command reads, compiles and
// evaluates only the code it uses. The library (dist/src, with its .d.ts) stays tsc's output,
// importable module by module.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { thirdPartyLicenses } from './third-party-licenses.mjs';

const outdir = 'dist/cli';
rmSync(outdir, { recursive: true, force: true });

/**
 * esbuild follows a dependency's own `sourceMappingURL` to its original sources, which packages do not
 * always ship (get-caller-file maps to an index.ts it leaves out), so our map would name sources it
 * cannot carry. Dropping those comments maps dependencies to the JavaScript that was bundled.
 */
const ignoreDependencySourceMaps = {
  name: 'ignore-dependency-source-maps',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, ({ path }) => {
      const contents = readFileSync(path, 'utf8');
      if (!contents.includes('sourceMappingURL')) return undefined;
      return { contents: contents.replace(/^\/\/# sourceMappingURL=.*$/gm, ''), loader: 'js', resolveDir: dirname(path) };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true, // with the sources inside the map: the package ships no .ts files
  // Scope hoisting renames colliding top-level names; the SDK and our errors rely on class names.
  keepNames: true,
  // Minified: the bundle's parse is most of a start's CPU; the source map keeps stack traces readable.
  minify: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { launcher: 'bin/launcher.ts' },
  outdir,
  external: ['./s3zipsync.js'], // the bundle below, imported only when the command is not --version
});

const withDependencies = {
  ...common,
  outdir,
  // The ES module builds of dependencies (the SDK's dist-es, …): esbuild drops what is never
  // imported, and a run evaluates less at start (bench/results/start-bundle.md).
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies (yauzl, mime-types, …) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __s3zipsyncCreateRequire } from 'node:module'; const require = __s3zipsyncCreateRequire(import.meta.url);" },
  // Only ever located with require.resolve and run in a child process (bin/local-s3); optional.
  external: ['s3rver'],
  // yargs, cliui and wrap-ansi measure help text with string-width 7/8, which builds an Intl.Segmenter
  // and an RGI_Emoji regex when imported: ~30 ms of every start, --help or not. string-width 4 (bundled
  // for cli-progress anyway) builds nothing until called and measures plain help text the same.
  alias: { 'string-width': createRequire(import.meta.url).resolve('string-width') },
  metafile: true,
  plugins: [ignoreDependencySourceMaps],
};

// Split at the import() boundaries: a command reads and compiles only the chunks it loads (a sync
// neither the bench's nor the progress display's), where one file made every start compile it all.
const cli = await build({ ...withDependencies, entryPoints: { s3zipsync: 'bin/s3zipsync.ts' }, splitting: true, chunkNames: 'chunk-[name]-[hash]' });

// The download bench spawns this child from the folder of the code that runs it (the bundle's). It
// ships without a source map: its map would be 2.4 MB for a probe that reports errors as messages.
const probe = await build({ ...withDependencies, entryPoints: { 'memory-probe': 'bench/suites/download/memory-probe.ts' }, sourcemap: false });

// The listing pages' parser thread (src/s3/transport/list-page-parser.ts), which the CLI's chunks
// start from the file beside them by this name.
const listPageWorker = await build({ ...withDependencies, entryPoints: { 'list-page-worker': 'src/s3/transport/list-page-worker.ts' } });

const inputs = { ...cli.metafile.inputs, ...probe.metafile.inputs, ...listPageWorker.metafile.inputs };
writeFileSync(`${outdir}/THIRD-PARTY-LICENSES.txt`, thirdPartyLicenses({ inputs }));
