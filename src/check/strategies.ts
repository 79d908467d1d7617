import { S3ZipSyncError } from '../errors.js';
import { createAutoCheck } from './auto-check.js';
import { createListingCheck, type ListingSources } from './listing-check.js';
import type { CheckTarget, ExistenceCheck } from './existence-check.js';
import { createHeadCheck } from './head-check.js';
import { createPrefixListCheck } from './prefix-list-check.js';

/** Strategies that answer one key with its own request(s): what the strategy bench times per key. */
export const PER_KEY_STRATEGIES = {
  head: createHeadCheck,
  list: createPrefixListCheck,
} as const satisfies Record<string, (target: CheckTarget) => ExistenceCheck>;

/**
 * Every strategy; `shared` is a listing of the whole prefix that the run reads anyway (for
 * deletion): the listing strategies answer from it instead of listing again, the per-key ones keep
 * asking per key, as they were told to.
 */
export const STRATEGIES = {
  ...PER_KEY_STRATEGIES,
  bulk: (target: CheckTarget, sources: ListingSources = {}) => {
    const { listing, ...ranges } = sources;
    return createListingCheck(target, { fallback: createHeadCheck(target), ...ranges, ...(listing ? { shared: listing } : {}) });
  },
  auto: createAutoCheck,
} as const satisfies Record<string, (target: CheckTarget, sources?: ListingSources) => ExistenceCheck>;

export type StrategyName = keyof typeof STRATEGIES;
export type PerKeyStrategyName = keyof typeof PER_KEY_STRATEGIES;

/** In `STRATEGIES`' order: what --help and error messages list. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];
export const PER_KEY_STRATEGY_NAMES = Object.keys(PER_KEY_STRATEGIES) as PerKeyStrategyName[];

import { DEFAULT_STRATEGY } from '../option-defaults.js';
export { DEFAULT_STRATEGY };

/** A shared listing, and how listings are cut into key ranges (see ListingSources). */
export type CheckSources = ListingSources;

export function createExistenceCheck(strategy: string, target: CheckTarget, sources: CheckSources = {}): ExistenceCheck {
  if (!Object.hasOwn(STRATEGIES, strategy)) {
    throw new S3ZipSyncError(
      'INVALID_OPTION',
      `unknown strategy ${JSON.stringify(strategy)}: expected one of ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  return STRATEGIES[strategy as StrategyName](target, sources);
}
