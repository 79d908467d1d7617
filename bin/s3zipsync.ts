#!/usr/bin/env node
// The SDK warns on every run that future versions need a newer Node; that is a note for us, not
// for a user's terminal, and it must be set before the SDK is loaded (hence the dynamic import).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('./cli.js');
const { EXIT } = await import('./exit-codes.js');
const { tolerateClosedStderr } = await import('./output/closed-stderr.js');

// Before anything can be written to it, the signal notices below included.
tolerateClosedStderr(process.stderr);

try {
  process.loadEnvFile();
} catch {
  // No .env in the working directory: the environment alone configures the run.
}

const controller = new AbortController();
let received: NodeJS.Signals | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  if (received) {
    // A second Ctrl-C means "now": leave without waiting for aborts to be confirmed. A progress
    // display hid the cursor and may be mid-line: give both back to the shell.
    if (process.stderr.isTTY) process.stderr.write('\n\x1b[?25h');
    process.stderr.write('s3zipsync: interrupted again, exiting without waiting for uploads to be aborted\n');
    process.exit(signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
  }
  received = signal;
  // main prints the notice (above the progress display, if one is drawn) as the signal aborts.
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  receivedSignal: () => received,
  setExitCode: () => {},
});
