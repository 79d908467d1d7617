import type { SyncEvent } from '../report.js';

/**
 * The caller's `onEvent`, made safe to call from anywhere in the run: a throwing callback must not
 * leave uploads running behind a rejected promise. Its first error is kept, the entries settle, then
 * `rethrow` throws it.
 */
export class RunEvents {
  private failure: { error: unknown } | undefined;

  constructor(private readonly onEvent: ((event: SyncEvent) => void) | undefined) {}

  readonly emit = (event: SyncEvent): void => {
    try {
      this.onEvent?.(event);
    } catch (error) {
      this.failure ??= { error };
    }
  };

  rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}
