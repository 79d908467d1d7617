/** The part of Lambda's context object the deadline needs. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

export interface DeadlineGuard {
  /** False once less than the deadline margin remains: start no more entries. */
  shouldStartEntry: () => boolean;
  /** Aborted once less than the abort margin remains: uploads still in flight are aborted cleanly. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * Two lines before Lambda's own timeout. Entries are not started past the first, so that those in
 * flight can finish; past the second, those still running are aborted by us (multipart uploads
 * aborted, nothing half-written) rather than frozen mid-request by the runtime. Without a context
 * (a direct call) there is no deadline.
 */
export function deadlineGuard(context: RemainingTime | undefined, margins: { deadlineMarginMs: number; abortMarginMs: number }): DeadlineGuard {
  const controller = new AbortController();
  if (!context) return { shouldStartEntry: () => true, signal: controller.signal, dispose() {} };
  const abortIn = context.getRemainingTimeInMillis() - margins.abortMarginMs;
  const timer = setTimeout(() => controller.abort(new Error('lambda time is running out')), Math.max(abortIn, 0));
  // The timer alone must not keep an idle process alive (tests, local runs).
  timer.unref();
  return {
    shouldStartEntry: () => !controller.signal.aborted && context.getRemainingTimeInMillis() >= margins.deadlineMarginMs,
    signal: controller.signal,
    dispose: () => clearTimeout(timer),
  };
}
