/** The SDK falls back to `console` when its logger is the no-op one; a library must never print. */
export const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
