/**
 * Runs `task` for every item with at most `window` running at once, taking items from the iterable
 * only as room frees up, so that a million entries never become a million pending promises at once
 * (p-limit would queue them all up front). `task` must not reject.
 */
export async function forEachBounded<T>(
  items: Iterable<T>,
  window: number,
  task: (item: T) => Promise<void>,
  /** Handles an item at once when it can (true): such an item takes no room and no promise. */
  settledNow?: (item: T) => boolean,
): Promise<void> {
  let running = 0;
  let roomFreed: (() => void) | undefined;
  let allDone: (() => void) | undefined;
  const finished = () => {
    running--;
    roomFreed?.();
    roomFreed = undefined;
    if (running === 0) allDone?.();
  };
  for (const item of items) {
    if (settledNow?.(item)) continue;
    while (running >= window) await new Promise<void>((resolve) => (roomFreed = resolve));
    running++;
    void task(item).finally(finished);
  }
  if (running > 0) await new Promise<void>((resolve) => (allDone = resolve));
}
