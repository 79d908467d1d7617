import { S3ZipSyncError } from '../errors.js';
import type { CheckTarget, ExistenceCheck } from './existence-check.js';
import { createHeadCheck } from './head-check.js';
import { createListCheck } from './list-check.js';

export const STRATEGIES = {
  head: createHeadCheck,
  list: createListCheck,
} as const satisfies Record<string, (target: CheckTarget) => ExistenceCheck>;

export type StrategyName = keyof typeof STRATEGIES;

export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

export function createExistenceCheck(strategy: string, target: CheckTarget): ExistenceCheck {
  if (!Object.hasOwn(STRATEGIES, strategy)) {
    throw new S3ZipSyncError(
      'INVALID_OPTION',
      `unknown strategy ${JSON.stringify(strategy)}: expected one of ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  return STRATEGIES[strategy as StrategyName](target);
}
