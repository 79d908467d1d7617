import type { FlagSchema, FlagValues } from './flags.js';
import type { ServerDataPlace } from './server-data.js';

export interface FigureContext {
  /** A progress line on stderr; the report goes to stdout and bench/results/. */
  log(message: string): void;
  /** Aborted on Ctrl-C: stop after the running step, the runner still reports what was measured. */
  signal: AbortSignal;
  /** Keep temporary folders (archives, server data) and say where they are. */
  keep: boolean;
  /** Where the embedded server keeps its objects (--server-data). */
  serverData: ServerDataPlace;
}

/**
 * One measured figure of the bench: a small module run by bench/run-figure.ts, which parses its
 * flags, adds the provenance (command, machine, load, commit) and records the report.
 */
export interface Figure<S extends FlagSchema, M> {
  /** What `npm run bench:<name>` and `run-figure.js <name>` call it. */
  name: string;
  /** One line: what is measured, on what. */
  title: string;
  flags: S;
  /** Measures, and reads back from the server everything `verify` needs. */
  run(flags: FlagValues<S>, context: FigureContext): Promise<M>;
  /** No I/O: what is wrong with a measurement; an empty list means its numbers can be trusted. */
  verify(measured: M, flags: FlagValues<S>): string[];
  /** The figure as Markdown (tables, notes), without the provenance the runner adds. */
  report(measured: M, flags: FlagValues<S>): string;
  /** The server line of the provenance, for a figure that does not run on the embedded s3rver. */
  server?(measured: M): string;
  /** Files recorded next to the results file (e.g. an SVG chart), linked from the report. */
  attachments?(measured: M, flags: FlagValues<S>): Attachment[];
}

export interface Attachment {
  /** The file name's end: the runner writes `<date>-<machine>-<suffix>` next to the results file. */
  suffix: string;
  /** How the report links it. */
  title: string;
  content: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of figures with different flag schemas and results
export type AnyFigure = Figure<any, any>;

/** Typing aid: infers the flag values' types from the schema. */
export function defineFigure<const S extends FlagSchema, M>(figure: Figure<S, M>): Figure<S, M> {
  return figure;
}
