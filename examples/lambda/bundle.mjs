// Bundles the Lambda handler (src/lambda/handler.ts, the tested one) into one minified ES module.
//   node examples/lambda/bundle.mjs [--sdk-external] [--outdir dist-lambda]
// --sdk-external leaves @aws-sdk/* and @smithy/* out, to be resolved from the Lambda runtime's copy.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const sdkExternal = args.includes('--sdk-external');
const outdir = path.resolve(root, args[args.indexOf('--outdir') + 1] && args.includes('--outdir') ? args[args.indexOf('--outdir') + 1] : 'dist-lambda');

export async function bundleHandler({ outfile, sdkExternal = false }) {
  const result = await build({
    entryPoints: [path.join(root, 'src/lambda/handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    // The runtime template.yaml names (nodejs24.x).
    target: 'node24',
    format: 'esm',
    // The dependencies' ES module builds: esbuild drops the SDK code nothing imports, and the cold
    // start evaluates less (the CLI bundle does the same; docs/package.md).
    mainFields: ['module', 'main'],
    outfile,
    metafile: true,
    external: sdkExternal ? ['@aws-sdk/*', '@smithy/*'] : [],
    // yauzl and other CommonJS dependencies call require() for Node's built-ins.
    banner: { js: "import { createRequire as __s3zipsyncCreateRequire } from 'node:module'; const require = __s3zipsyncCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outfile = path.join(outdir, 'index.mjs');
  const metafile = await bundleHandler({ outfile, sdkExternal });
  const bytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  process.stdout.write(`${path.relative(root, outfile)}: ${bytes} bytes minified${sdkExternal ? ' (@aws-sdk/* and @smithy/* external)' : ' (SDK bundled)'}; handler: index.handler\n`);
}
