import * as awsCoreClient from '@aws-sdk/core/client';

/**
 * Keeps the SDK's "versions published after January 2027 will require node >=22" warning off the
 * user's terminal. The SDK prints it through process.emitWarning the first time any client is built,
 * unless AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true; a library must neither print nor change
 * its host's environment, so instead this marks the SDK's own once-per-process flag as already spent
 * (the same flag the environment variable sets). Supported Node versions are stated in the README.
 *
 * `state` is an internal export of @aws-sdk/core: if a future SDK drops it, this does nothing and the
 * warning shows again, which a test catches (test/unit/sdk-node-warning.test.ts).
 */
export function silenceSdkNodeVersionWarning(): void {
  const state = (awsCoreClient as { state?: { warningEmitted?: boolean } }).state;
  if (state && typeof state === 'object') state.warningEmitted = true;
}
