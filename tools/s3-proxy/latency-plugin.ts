import type { ProxyPlugin } from './reverse-proxy.js';

/**
 * Milliseconds before the first byte of the answer, by S3 operation (names from
 * classify-s3-request.ts), `default` for every other one: `{ default: 20, ListObjectsV2: 60 }`.
 */
export type LatencyConfig = { default: number } & Record<string, number>;

export interface LatencyPlugin extends ProxyPlugin {
  readonly config: Readonly<LatencyConfig>;
}

/**
 * Makes a loopback server answer like a remote one: each request waits its operation's delay before
 * it is forwarded (or answered by another plugin). One lookup per request, no timer of its own: the
 * proxy does the waiting, so the plugin adds nothing measurable to the bench process's CPU.
 */
export function createLatencyPlugin(config: LatencyConfig): LatencyPlugin {
  for (const [operation, ms] of Object.entries(config)) {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency of ${operation} must be a number of milliseconds ≥ 0, got ${ms}`);
  }
  const delays = new Map(Object.entries(config));
  const fallback = config.default;
  return {
    config,
    onRequest(request) {
      const delayMs = delays.get(request.operation) ?? fallback;
      return delayMs > 0 ? { delayMs } : undefined;
    },
  };
}

/** Reads `default=20,ListObjectsV2=60` (a bare number is the default); the default is 0 unless given. */
export function parseLatencyConfig(text: string): LatencyConfig {
  const config: LatencyConfig = { default: 0 };
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = item.includes('=') ? (item.split('=', 2) as [string, string]) : ['default', item];
    const ms = Number(value);
    if (value.trim() === '' || !Number.isFinite(ms) || ms < 0) throw new RangeError(`latency ${JSON.stringify(item)}: expected OPERATION=MILLISECONDS with a number ≥ 0`);
    config[name.trim()] = ms;
  }
  return config;
}

/** `default 20 ms, ListObjectsV2 60 ms`, for reports. */
export function describeLatency(config: Readonly<LatencyConfig>): string {
  const others = Object.entries(config).filter(([name]) => name !== 'default');
  return [`default ${config.default} ms`, ...others.map(([name, ms]) => `${name} ${ms} ms`)].join(', ');
}
