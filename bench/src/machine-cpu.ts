import { cpus } from 'node:os';

/** The time every core of the machine spent busy, and in all, in ms. */
function machineTimes(): { busy: number; all: number } {
  let busy = 0;
  let all = 0;
  for (const { times } of cpus()) {
    const working = times.user + times.nice + times.sys + times.irq;
    busy += working;
    all += working + times.idle;
  }
  return { busy, all };
}

/**
 * Starts watching the machine's CPU; the answer tells how many cores were busy on average since,
 * whatever process kept them so. An import near the number of cores is bound by CPU: running its
 * parts side by side cannot make it faster, only doing less can.
 */
export function watchBusyCores(): () => number {
  const start = machineTimes();
  return () => {
    const end = machineTimes();
    const wall = (end.all - start.all) / cpus().length;
    return wall > 0 ? (end.busy - start.busy) / wall : 0;
  };
}
