import { parseArgs } from 'node:util';
import { parseSize } from '../../tools/parse-size.js';

/** How one flag of a figure is read from the command line; lists are comma-separated. */
export type FlagSpec =
  | { type: 'integer'; describe: string; default?: number; min?: number }
  | { type: 'integers'; describe: string; default: readonly number[]; min?: number }
  | { type: 'sizes'; describe: string; default: string }
  | { type: 'string'; describe: string; default?: string }
  /** Repeatable: every occurrence is kept, in order, as given (no comma splitting). */
  | { type: 'repeatable'; describe: string }
  | { type: 'choices'; describe: string; choices: readonly string[]; default?: readonly string[] }
  | { type: 'boolean'; describe: string };

export type FlagSchema = Record<string, FlagSpec>;

type ValueOf<S extends FlagSpec> = S extends { type: 'integer' }
  ? S extends { default: number } ? number : number | undefined
  : S extends { type: 'integers' | 'sizes' }
    ? number[]
    : S extends { type: 'repeatable' }
      ? string[]
      : S extends { type: 'string' }
      ? S extends { default: string } ? string : string | undefined
      : S extends { type: 'choices'; choices: readonly (infer C)[] }
        ? S extends { default: readonly string[] } ? C[] : C[] | undefined
        : boolean;

export type FlagValues<S extends FlagSchema> = { [K in keyof S]: ValueOf<S[K]> };

/** A mistake on the command line: the runner prints it in one line and exits 2. */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/** Reads `args` against one schema (node:util parseArgs, strict), checking numbers, sizes and choices. */
export function parseFlags<S extends FlagSchema>(schema: S, args: readonly string[]): FlagValues<S> {
  const options = Object.fromEntries(
    Object.entries(schema).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: spec.type === 'repeatable' }]),
  );
  let parsed: ReturnType<typeof parseArgs>['values'];
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    values[name] = spec.type === 'repeatable' ? ((parsed[name] as string[] | undefined) ?? []) : readFlag(name, spec, parsed[name] as string | boolean | undefined);
  }
  return values as FlagValues<S>;
}

function readFlag(name: string, spec: Exclude<FlagSpec, { type: 'repeatable' }>, raw: string | boolean | undefined): unknown {
  if (spec.type === 'boolean') return raw === true;
  const text = raw as string | undefined;
  switch (spec.type) {
    case 'string':
      return text ?? spec.default;
    case 'integer':
      return text === undefined ? spec.default : integer(name, text, spec.min ?? 0);
    case 'integers':
      return text === undefined ? [...spec.default] : list(text).map((item) => integer(name, item, spec.min ?? 0));
    case 'sizes':
      return list(text ?? spec.default).map((item) => {
        try {
          return parseSize(item, name);
        } catch (error) {
          throw new BenchUsageError(error instanceof Error ? error.message : String(error));
        }
      });
    case 'choices': {
      if (text === undefined) return spec.default === undefined ? undefined : [...spec.default];
      const chosen = list(text);
      const unknown = chosen.filter((item) => !spec.choices.includes(item));
      if (unknown.length) throw new BenchUsageError(`--${name}: unknown ${unknown.map((u) => JSON.stringify(u)).join(', ')} (known: ${spec.choices.join(', ')})`);
      return chosen;
    }
  }
}

function integer(name: string, text: string, min: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new BenchUsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return n;
}

function list(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/** The flags of a schema, one line each, for `--help`. */
export function describeFlags(schema: FlagSchema): string[] {
  return Object.entries(schema).map(([name, spec]) => {
    const shown = 'default' in spec && spec.default !== undefined ? ` (default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})` : '';
    const choices = spec.type === 'choices' ? ` [${spec.choices.join(',')}]` : '';
    const repeat = spec.type === 'repeatable' ? ' (repeatable)' : '';
    return `  --${name}${spec.type === 'boolean' ? '' : ' VALUE'}  ${spec.describe}${choices}${shown}${repeat}`;
  });
}
