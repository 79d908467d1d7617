import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictSentence } from '../../bench/print/verdict-text.js';

describe('verdictSentence', () => {
  const measured = { variant: 'head', reference: 'list', ratio: 1.2349, ci: [1.0112, 1.4801] as [number, number], minEffect: 0.03, pairs: 60, warnings: [] };

  it('names the direction of the ratio in words, with its interval and the faster side', () => {
    assert.equal(
      verdictSentence({ ...measured, state: 'different', faster: 'list' }),
      'head takes 1.23× the time of list (95% CI 1.01–1.48): list is faster',
    );
    assert.equal(
      verdictSentence({ ...measured, state: 'different', ratio: 0.8123, ci: [0.78, 0.84], faster: 'head' }),
      'head takes 0.81× the time of list (95% CI 0.78–0.84): head is faster',
    );
  });

  it('calls a difference under the minimum effect negligible', () => {
    assert.equal(
      verdictSentence({ ...measured, state: 'negligible', ratio: 1.018, ci: [1.006, 1.03], faster: 'list' }),
      'head takes 1.02× the time of list (95% CI 1.01–1.03): list is faster, by less than 3%: negligible',
    );
  });

  it('states no significant difference with the ratio and interval', () => {
    assert.equal(
      verdictSentence({ ...measured, state: 'no-difference', ratio: 0.9912, ci: [0.971, 1.0412] }),
      'head takes 0.99× the time of list (95% CI 0.97–1.04): no significant difference (the interval contains 1)',
    );
  });

  it('explains why a comparison is impossible', () => {
    assert.equal(
      verdictSentence({ state: 'insufficient', variant: 'head', reference: 'list', pairs: 4, reason: 'only 4 paired rounds, at least 10 needed' }),
      'cannot compare head with list: only 4 paired rounds, at least 10 needed',
    );
  });
});
