import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES } from '../../src/static-entry.js';

// The names are STRATEGIES' keys; what --help shows, in this order, before any run loads the SDK.
test('the strategy names shown before a run are the strategies that exist, in their order', () => {
  assert.deepEqual(STRATEGY_NAMES, ['head', 'list', 'bulk', 'auto']);
  assert.deepEqual(PER_KEY_STRATEGY_NAMES, ['head', 'list']);
});
