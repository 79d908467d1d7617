import type { ConnectionCounts } from './connections.js';
import { shuffle } from './rng.js';
import type { Sample } from './types.js';

/** Handed to a variant's sample function: everything outside `measure` is untimed set-up. */
export interface Timer {
  measure<T>(timed: () => Promise<T>): Promise<T>;
}

export interface BenchVariant {
  name: string;
  /** One sample: untimed preparation, exactly one `timer.measure(...)`, untimed clean-up. */
  sample(timer: Timer, round: number): Promise<void>;
}

export interface RoundOptions {
  scenario: string;
  variants: BenchVariant[];
  /** Samples kept per variant, after the warm-up ones are dropped. */
  samples: number;
  /** Stop starting rounds after this many milliseconds (samples then is only a cap). */
  durationMs?: number;
  /** The first `warmup` samples of each variant are marked and left out of statistics. */
  warmup: number;
  rng: () => number;
  connections: () => ConnectionCounts;
  requests: () => Record<string, number>;
  /** Called between samples, never inside a timed region. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs rounds in which every variant takes one sample, in an order shuffled per round, so warm-up,
 * caches and drift of the machine or network are shared by all variants instead of favouring one.
 */
export async function runRounds(options: RoundOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const rounds = options.samples + options.warmup;
  const deadline = options.durationMs === undefined ? Infinity : performance.now() + options.durationMs;
  const total = rounds * options.variants.length;
  for (let round = 0; round < rounds; round++) {
    if (options.signal?.aborted || (round >= options.warmup + 1 && performance.now() > deadline)) break;
    const order = shuffle(options.variants, options.rng);
    for (const [position, variant] of order.entries()) {
      let measured: { ms: number; cpuMs: number; connections: ConnectionCounts; requests: Record<string, number> } | undefined;
      const timer: Timer = {
        async measure(timed) {
          if (measured) throw new Error(`variant ${variant.name} measured twice in one sample`);
          const connectionsBefore = options.connections();
          const requestsBefore = options.requests();
          const cpuBefore = process.cpuUsage();
          const start = process.hrtime.bigint();
          const result = await timed();
          const end = process.hrtime.bigint();
          const cpu = process.cpuUsage(cpuBefore);
          measured = {
            ms: Number(end - start) / 1e6,
            cpuMs: (cpu.user + cpu.system) / 1000,
            connections: connectionsSince(connectionsBefore, options.connections()),
            requests: requestsSince(requestsBefore, options.requests()),
          };
          return result;
        },
      };
      await variant.sample(timer, round);
      if (!measured) throw new Error(`variant ${variant.name} took a sample without measuring`);
      samples.push({
        round,
        position,
        variant: variant.name,
        scenario: options.scenario,
        ms: measured.ms,
        cpuMs: measured.cpuMs,
        warmup: round < options.warmup,
        newSockets: measured.connections.newSockets,
        reusedSockets: measured.connections.reusedSockets,
        requests: measured.requests,
      });
      options.onProgress?.(samples.length, total);
    }
  }
  return samples;
}

function connectionsSince(before: ConnectionCounts, after: ConnectionCounts): ConnectionCounts {
  return { newSockets: after.newSockets - before.newSockets, reusedSockets: after.reusedSockets - before.reusedSockets };
}

function requestsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after)) {
    const delta = count - (before[operation] ?? 0);
    if (delta > 0) out[operation] = delta;
  }
  return out;
}
