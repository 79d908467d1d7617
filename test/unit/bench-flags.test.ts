import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchUsageError, parseFlags } from '../../bench/harness/flags.js';

const schema = {
  small: { type: 'integer', default: 5000, describe: 'files' },
  concurrency: { type: 'integer', min: 1, describe: 'in flight' },
  values: { type: 'integers', min: 1, default: [2, 4], describe: 'sweep' },
  sizes: { type: 'sizes', default: '1MiB', describe: 'sizes' },
  variants: { type: 'choices', choices: ['a', 'b'], default: ['a', 'b'], describe: 'kinds' },
  json: { type: 'string', describe: 'file' },
  keep: { type: 'boolean', describe: 'keep' },
} as const;

describe('bench flag schema', () => {
  it('gives the defaults when no flag is set', () => {
    assert.deepEqual(parseFlags(schema, []), { small: 5000, concurrency: undefined, values: [2, 4], sizes: [1024 * 1024], variants: ['a', 'b'], json: undefined, keep: false });
  });

  it('reads integers, comma-separated lists, sizes, choices, strings and booleans', () => {
    const flags = parseFlags(schema, ['--small', '10', '--concurrency=3', '--values', '8, 16', '--sizes', '64MiB,1GiB', '--variants', 'b', '--json', 'out.json', '--keep']);
    assert.deepEqual(flags, { small: 10, concurrency: 3, values: [8, 16], sizes: [64 * 1024 ** 2, 1024 ** 3], variants: ['b'], json: 'out.json', keep: true });
  });

  it('refuses, in one line naming the flag, what it cannot read', () => {
    const refuses = (args: string[], message: RegExp) => assert.throws(() => parseFlags(schema, args), (error: unknown) => error instanceof BenchUsageError && message.test(error.message));
    refuses(['--small', 'many'], /^--small must be an integer ≥ 0, got "many"$/);
    refuses(['--concurrency', '0'], /^--concurrency must be an integer ≥ 1/);
    refuses(['--values', '2,x'], /^--values must be an integer/);
    refuses(['--sizes', '5 parsecs'], /invalid size for --sizes/);
    refuses(['--variants', 'a,c'], /^--variants: unknown "c" \(known: a, b\)$/);
    refuses(['--unknown'], /Unknown option '--unknown'/);
  });

  it('keeps every occurrence of a repeatable flag, commas and spaces included', () => {
    const repeatable = { variant: { type: 'repeatable', describe: 'variants' } } as const;
    assert.deepEqual(parseFlags(repeatable, []), { variant: [] });
    assert.deepEqual(parseFlags(repeatable, ['--variant', 'w=--pacer window', '--variant=r=--list-ranges 8,9']), { variant: ['w=--pacer window', 'r=--list-ranges 8,9'] });
  });
});
