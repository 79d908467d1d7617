import { createListingCheck, type ListingSources } from './listing-check.js';
import type { CheckTarget, ExistenceCheck } from './existence-check.js';
import { createHeadCheck } from './head-check.js';

/**
 * Below this many keys, HeadObject per key: they go out in parallel, so they take about one round
 * trip, like the single LIST they would replace, and 15 HEADs cost less than one LIST on AWS
 * (GET-class requests are 12.5× cheaper than LIST-class).
 */
export const AUTO_PER_KEY_BELOW = 16;

/**
 * The listing may show this many objects per archive key before `auto` gives up on it. A page of
 * 1,000 keys takes about as long as 10 parallel HEADs at the default concurrency, so stopping here
 * spends at most about as much time listing as the per-key path would have taken in all.
 */
export const AUTO_LIST_BUDGET_PER_KEY = 10;

/**
 * Bounded cost whatever the bucket holds: per-key HEAD for a few keys; otherwise the bulk listing,
 * stopped once it has shown more than 10 × N objects for N keys, after which the keys it has not
 * shown are checked by HEAD (keys it has shown are already answered).
 *
 * Requests, for N keys and M objects under the keys' common prefix:
 * - M ≤ 10N: ⌈M/1000⌉ LISTs, the same as `bulk`;
 * - M > 10N: at most ⌈10N/1000⌉ + 1 LISTs and N HEADs: the per-key cost plus 1% and one page.
 *
 * With a `shared` listing (the deletion plan reads the whole prefix anyway) the listing costs no
 * request of its own, so it is the cheapest path whatever N and M are: the checks observe it.
 */
export function createAutoCheck(target: CheckTarget, sources: ListingSources = {}): ExistenceCheck {
  const { listing: shared, ...ranges } = sources;
  const head = createHeadCheck(target);
  let chosen: ExistenceCheck | undefined;
  let reason = '';
  return {
    strategy: 'auto',
    async start(keys, signal) {
      if (shared) {
        chosen = createListingCheck(target, { ...ranges, shared, fallback: head });
        reason = 'a listing the deletion needs anyway';
      } else if (keys.length < AUTO_PER_KEY_BELOW) {
        chosen = head;
        reason = `${keys.length} keys < ${AUTO_PER_KEY_BELOW}`;
      } else {
        chosen = createListingCheck(target, { ...ranges, listBudget: AUTO_LIST_BUDGET_PER_KEY * keys.length, fallback: head });
        reason = `${keys.length} keys`;
      }
      await chosen.start(keys, signal);
    },
    check(key, signal) {
      if (!chosen) throw new Error('auto check used before start()');
      return chosen.check(key, signal);
    },
    peek: (key) => chosen?.peek?.(key),
    describe() {
      if (!chosen) return 'not started';
      return `${chosen === head ? 'per-key' : 'bulk listing'} (${reason}): ${chosen.describe()}`;
    },
  };
}
