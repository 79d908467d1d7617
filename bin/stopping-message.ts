/** What the first SIGINT/SIGTERM prints: only a sync has uploads to abort. */
export function stoppingMessage(signal: NodeJS.Signals, args: readonly string[]): string {
  if (args[0] === 'local-server') return `s3zipsync: ${signal} received, stopping the embedded S3 server…\n`;
  return `s3zipsync: ${signal} received, stopping: in-flight uploads are aborted…\n`;
}
