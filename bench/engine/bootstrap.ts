import { quantile } from './stats.js';

export interface BootstrapOptions {
  iterations?: number;
  level?: number;
}

function medianInPlace(values: Float64Array): number {
  values.sort();
  const n = values.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/**
 * Percentile bootstrap of the median. The median is used (not the mean) because timing
 * distributions are right-skewed by GC pauses and network hiccups.
 * The rng is injected so a recorded seed reproduces the same interval.
 */
export function bootstrapMedianCI(
  values: readonly number[],
  rng: () => number,
  options: BootstrapOptions = {},
): [number, number] {
  const iterations = options.iterations ?? 2000;
  const level = options.level ?? 0.95;
  if (values.length === 0) throw new RangeError('cannot bootstrap an empty list');
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be within (0, 1), got ${level}`);

  const n = values.length;
  const resample = new Float64Array(n);
  const medians = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < n; j++) resample[j] = values[Math.floor(rng() * n)] as number;
    medians[i] = medianInPlace(resample);
  }
  medians.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [quantile(medians, tail), quantile(medians, 1 - tail)];
}
