// Loaded with `node --import`: records what the program imports (hooks.mjs), and at exit the
// CommonJS modules it required, into the file named by TEST_MODULE_LOG_FILE (not S3ZIPSYNC_*: the CLI
// reads those as its flags).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const logFile = process.env.TEST_MODULE_LOG_FILE;
register('./hooks.mjs', import.meta.url, { data: { logFile } });
process.on('exit', () => {
  const required = Object.keys(createRequire(import.meta.url).cache).map((path) => pathToFileURL(path).href);
  if (required.length > 0) appendFileSync(logFile, `${required.join('\n')}\n`);
});
