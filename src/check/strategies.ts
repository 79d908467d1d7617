import { S3ZipSyncError } from '../errors.js';
import { createAutoCheck } from './auto-check.js';
import { createBulkCheck } from './bulk-check.js';
import type { CheckTarget, ExistenceCheck } from './existence-check.js';
import { createHeadCheck } from './head-check.js';
import { createListCheck } from './list-check.js';

/** Strategies that answer one key with its own request(s): what the strategy bench times per key. */
export const PER_KEY_STRATEGIES = {
  head: createHeadCheck,
  list: createListCheck,
} as const satisfies Record<string, (target: CheckTarget) => ExistenceCheck>;

export const STRATEGIES = {
  ...PER_KEY_STRATEGIES,
  bulk: (target: CheckTarget) => createBulkCheck(target, { fallback: createHeadCheck(target) }),
  auto: createAutoCheck,
} as const satisfies Record<string, (target: CheckTarget) => ExistenceCheck>;

export type StrategyName = keyof typeof STRATEGIES;
export type PerKeyStrategyName = keyof typeof PER_KEY_STRATEGIES;

import { DEFAULT_STRATEGY, PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES } from '../option-defaults.js';
export { DEFAULT_STRATEGY, PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES };

export function createExistenceCheck(strategy: string, target: CheckTarget): ExistenceCheck {
  if (!Object.hasOwn(STRATEGIES, strategy)) {
    throw new S3ZipSyncError(
      'INVALID_OPTION',
      `unknown strategy ${JSON.stringify(strategy)}: expected one of ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  return STRATEGIES[strategy as StrategyName](target);
}
