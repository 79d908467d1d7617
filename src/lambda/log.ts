/** One structured log line: CloudWatch Logs Insights reads the JSON fields as they are. */
export type LogLine = { level: 'info' | 'warn' | 'error'; message: string } & Record<string, unknown>;
export type Log = (line: LogLine) => void;

/**
 * Lambda captures stdout as the function's log. Written directly rather than through console, which
 * the library never uses, and without the runtime's text prefix, so each line is plain JSON.
 */
export const jsonLinesToStdout: Log = (line) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
};
