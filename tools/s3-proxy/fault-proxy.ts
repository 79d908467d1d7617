import { createCountingPlugin } from './counting-proxy.js';
import { startReverseProxy, type ProxiedRequest, type ProxyAction, type ProxyPlugin } from './reverse-proxy.js';

export type FaultRequestInfo = ProxiedRequest;

export interface FaultRule extends Omit<ProxyAction, 'respond'> {
  /** An operation name, or a predicate; rules are tried in order and the first match applies. */
  match: string | ((req: FaultRequestInfo) => boolean);
  /**
   * See ProxyAction.respond. `times` limits how many requests get it; once used up the whole rule
   * stops matching and later rules (or plain forwarding) apply.
   */
  respond?: NonNullable<ProxyAction['respond']> & { times?: number };
  /** Apply this rule to at most this many requests, then stop matching. */
  times?: number;
}

export interface FaultPlugin extends ProxyPlugin {
  /** Replace the active rules (and their `times` counters); the first matching rule applies. */
  setRules(rules: FaultRule[]): void;
  /** Requests a rule with any effect (delay, respond, reset, stall) was applied to. */
  faultsInjected(): number;
}

interface ActiveRule {
  rule: FaultRule;
  used: number;
}

function hasEffect(rule: FaultRule): boolean {
  return (rule.delayMs ?? 0) > 0 || rule.respond !== undefined || rule.resetConnection !== undefined || (rule.stallMidBodyMs ?? 0) > 0;
}

function limitOf(rule: FaultRule): number {
  return Math.min(rule.times ?? Infinity, rule.respond?.times ?? Infinity);
}

/** Turns rules into actions: the first rule that matches a request and is not used up applies. */
export function createFaultPlugin(): FaultPlugin {
  let rules: ActiveRule[] = [];
  let injected = 0;
  return {
    onRequest(request) {
      for (const active of rules) {
        if (active.used >= limitOf(active.rule)) continue;
        const { match } = active.rule;
        if (typeof match === 'string' ? match !== request.operation : !match(request)) continue;
        active.used++;
        if (hasEffect(active.rule)) injected++;
        return active.rule;
      }
      return undefined;
    },
    setRules(next) {
      rules = next.map((rule) => ({ rule, used: 0 }));
    },
    faultsInjected: () => injected,
  };
}

export interface FaultProxyStats {
  /** Requests received (each counted once, whatever happened to it). */
  requests: number;
  byOperation: Record<string, number>;
  /** Requests a rule with any effect (delay, respond, reset, stall) was applied to. */
  faultsInjected: number;
  /** Client TCP connections accepted (shows whether keep-alive is in use). */
  connections: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  setRules(rules: FaultRule[]): void;
  /** A snapshot; counters are cumulative since start. */
  stats(): FaultProxyStats;
  stop(): Promise<void>;
}

/** A test proxy that injects faults: latency, S3-style error answers, dropped connections and stalled bodies. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const counting = createCountingPlugin();
  const faults = createFaultPlugin();
  const proxy = await startReverseProxy(target, { plugins: [counting, faults] });
  return {
    endpoint: proxy.endpoint,
    setRules: (rules) => faults.setRules(rules),
    stats() {
      const tally = counting.current();
      return { requests: tally.total, byOperation: tally.byOperation, faultsInjected: faults.faultsInjected(), connections: proxy.connections() };
    },
    stop: () => proxy.stop(),
  };
}
