import os from 'node:os';

/** One line naming the machine a figure came from, and how busy it was. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`;
}
