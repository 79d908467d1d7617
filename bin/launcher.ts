#!/usr/bin/env node
// The published binary's entry: the only file Node compiles before it knows what the command needs.
// `--version` is answered here without loading the CLI (yargs, the SDK) at all; everything else
// loads the CLI, which is one bundled file in the package (see scripts/build.mjs).
import module from 'node:module';
import { ownVersion, versionRequested } from './own-version.js';

// Node >= 22.1 keeps compiled code on disk, so later starts skip parsing the CLI bundle. It must be
// switched on before the bundle is imported, hence here; Node 20 lacks the function.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (versionRequested(process.argv.slice(2))) {
  process.stdout.write(`${ownVersion()}\n`);
} else {
  await import('./s3zipsync.js');
}
