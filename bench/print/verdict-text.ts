import type { Verdict } from '../engine/types.js';

const fmt = (x: number): string => x.toFixed(2);

export function verdictSentence(v: Verdict): string {
  switch (v.state) {
    case 'faster':
      return `${v.faster} is ${fmt(v.ratio)}× faster than ${v.slower} (95% CI ${fmt(v.ci[0])}–${fmt(v.ci[1])})`;
    case 'no-difference':
      return `no significant difference between ${v.a} and ${v.b} (ratio ${fmt(v.ratio)}, 95% CI ${fmt(v.ci[0])}–${fmt(v.ci[1])})`;
    case 'insufficient':
      return `cannot compare ${v.a} and ${v.b}: ${v.reason}`;
  }
}
