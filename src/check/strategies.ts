import { S3ZipSyncError } from '../errors.js';
import { createAutoCheck } from './auto-check.js';
import type { SharedListing } from '../s3/shared-listing.js';
import { createListingCheck } from './listing-check.js';
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
  bulk: (target: CheckTarget, shared?: SharedListing) => createListingCheck(target, { fallback: createHeadCheck(target), ...(shared ? { shared } : {}) }),
  auto: createAutoCheck,
} as const satisfies Record<string, (target: CheckTarget, shared?: SharedListing) => ExistenceCheck>;

export type StrategyName = keyof typeof STRATEGIES;
export type PerKeyStrategyName = keyof typeof PER_KEY_STRATEGIES;

import { DEFAULT_STRATEGY, PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES } from '../option-defaults.js';
export { DEFAULT_STRATEGY, PER_KEY_STRATEGY_NAMES, STRATEGY_NAMES };

export interface CheckSources {
  /** A listing of the whole prefix that another consumer (the deletion plan) drives to its end. */
  listing?: SharedListing;
}

export function createExistenceCheck(strategy: string, target: CheckTarget, sources: CheckSources = {}): ExistenceCheck {
  if (!Object.hasOwn(STRATEGIES, strategy)) {
    throw new S3ZipSyncError(
      'INVALID_OPTION',
      `unknown strategy ${JSON.stringify(strategy)}: expected one of ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  return STRATEGIES[strategy as StrategyName](target, sources.listing);
}
