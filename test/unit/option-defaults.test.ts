import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PER_KEY_STRATEGIES, STRATEGIES } from '../../src/check/strategies.js';
import { PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES } from '../../src/option-defaults.js';

// The names are written out in option-defaults.ts (so --help needs no SDK); they must stay the
// strategies that exist.
test('the strategy names shown before a run are the strategies that exist', () => {
  assert.deepEqual(STRATEGY_NAMES, Object.keys(STRATEGIES));
  assert.deepEqual(PER_KEY_STRATEGY_NAMES, Object.keys(PER_KEY_STRATEGIES));
});
