import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictSentence } from '../../bench/print/verdict-text.js';

describe('verdictSentence', () => {
  it('states which variant is faster, by how much, with the interval', () => {
    assert.equal(
      verdictSentence({ state: 'faster', faster: 'list', slower: 'head', ratio: 1.3087, ci: [1.2249, 1.4], pairs: 60, warnings: [] }),
      'list is 1.31× faster than head (95% CI 1.22–1.40)',
    );
  });

  it('states no significant difference with the ratio and interval', () => {
    assert.equal(
      verdictSentence({ state: 'no-difference', a: 'list', b: 'head', ratio: 0.9912, ci: [0.971, 1.0412], pairs: 60, warnings: [] }),
      'no significant difference between list and head (ratio 0.99, 95% CI 0.97–1.04)',
    );
  });

  it('explains why a comparison is impossible', () => {
    assert.equal(
      verdictSentence({ state: 'insufficient', a: 'list', b: 'head', pairs: 4, reason: 'only 4 paired rounds, at least 10 needed' }),
      'cannot compare list and head: only 4 paired rounds, at least 10 needed',
    );
  });
});
