import type { Sample } from '../engine/types.js';

/** Every raw sample, warm-up included (flagged), one row each. */
export function formatSamplesCsv(samples: readonly Sample[]): string {
  const header = 'scenario,variant,round,position,ms,cpu_ms,warmup,new_sockets,reused_sockets,requests';
  const rows = samples.map((s) =>
    [
      s.scenario,
      s.variant,
      s.round,
      s.position,
      s.ms.toFixed(4),
      s.cpuMs.toFixed(3),
      s.warmup,
      s.newSockets,
      s.reusedSockets,
      Object.entries(s.requests)
        .map(([operation, n]) => `${operation}:${n}`)
        .join(' '),
    ].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
