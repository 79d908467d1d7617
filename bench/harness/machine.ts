import os from 'node:os';

export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when asked: on a shared machine anything else running skews every figure. */
  load: number;
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    load: os.loadavg()[0]!,
  };
}

/** One line naming the machine a figure came from, and how busy it was. */
export function describeMachine(facts: MachineFacts = machineFacts()): string {
  return `${facts.cpu}, ${facts.cores} cores, ${facts.memoryGiB} GiB RAM, Node ${facts.node}, load ${facts.load.toFixed(2)}`;
}

/**
 * A file-name-safe name for the kind of machine (cores and CPU model), so that the results of one
 * kind of machine gather in one file; a container's host name changes with every session.
 */
export function machineSlug(facts: MachineFacts = machineFacts()): string {
  const model = facts.cpu
    .toLowerCase()
    .replace(/\((r|tm)\)|cpu|processor|@.*$|\d+-core/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${facts.cores}core-${model || 'unknown'}`.slice(0, 60);
}
