import type { Verdict } from '../engine/types.js';

const fmt = (x: number): string => x.toFixed(2);

/** The ratio, its direction in words and its interval: `head takes 1.23× the time of list (95% CI 1.01–1.48)`. */
export function ratioPhrase(v: Exclude<Verdict, { state: 'insufficient' }>): string {
  return `${v.variant} takes ${fmt(v.ratio)}× the time of ${v.reference} (95% CI ${fmt(v.ci[0])}–${fmt(v.ci[1])})`;
}

export function verdictSentence(v: Verdict): string {
  switch (v.state) {
    case 'different':
      return `${ratioPhrase(v)}: ${v.faster} is faster`;
    case 'negligible':
      return `${ratioPhrase(v)}: ${v.faster} is faster, by less than ${pct(v.minEffect)}: negligible`;
    case 'no-difference':
      return `${ratioPhrase(v)}: no significant difference (the interval contains 1)`;
    case 'insufficient':
      return `cannot compare ${v.variant} with ${v.reference}: ${v.reason}`;
  }
}

/** One word for a table cell, from the row's own side: the row is `variant`. */
export function verdictWord(v: Verdict): string {
  switch (v.state) {
    case 'different':
      return v.faster === v.variant ? 'faster' : 'slower';
    case 'negligible':
      return `< ${pct(v.minEffect)}`;
    case 'no-difference':
      return 'no diff.';
    case 'insufficient':
      return 'too few';
  }
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}
