import { readdirSync, readFileSync } from 'node:fs';
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
function watchBusyCores(): () => number {
  const start = machineTimes();
  return () => {
    const end = machineTimes();
    const wall = (end.all - start.all) / cpus().length;
    return wall > 0 ? (end.busy - start.busy) / wall : 0;
  };
}

/** Linux reports a process's CPU time in ticks of 1/100 s (USER_HZ) whatever the kernel's own clock. */
const TICKS_PER_SECOND = 100;

/** The CPU seconds (user and system, every thread) process `pid` used so far; null where Linux's /proc cannot tell. */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The database server on this machine (MariaDB or MySQL), when `databaseUrl` is served here and there is one to watch. */
export function localDatabasePid(databaseUrl: string): number | null {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(databaseUrl).hostname)) return null;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null; // not Linux: nothing to watch
  }
  for (const entry of entries) {
    try {
      const command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (command === 'mariadbd' || command === 'mysqld') return Number(entry);
    } catch {
      // The process ended since the listing.
    }
  }
  return null;
}

/**
 * Starts watching the CPU time of named processes; the answer gives the seconds each used since,
 * busiest first. This process is measured with its own accounting; a process /proc cannot tell of
 * is left out.
 */
export function watchProcessCpu(pids: Record<string, number | 'self'>): () => [string, number][] {
  const read = () =>
    Object.entries(pids).flatMap(([name, pid]): [string, number][] => {
      if (pid === 'self') {
        const { user, system } = process.cpuUsage();
        return [[name, (user + system) / 1e6]];
      }
      const seconds = processCpuSeconds(pid);
      return seconds === null ? [] : [[name, seconds]];
    });
  const start = new Map(read());
  return () =>
    read()
      .flatMap(([name, seconds]): [string, number][] =>
        start.has(name) ? [[name, seconds - start.get(name)!]] : [],
      )
      .sort((a, b) => b[1] - a[1]);
}

/** How busy the machine was during a phase, and which processes kept it so. */
export interface PhaseCpu {
  busyCores: number;
  /** CPU seconds by process, busiest first. */
  seconds: [string, number][];
}

/** Starts watching the machine and the named processes (see watchBusyCores, watchProcessCpu). */
export function watchPhase(pids: Record<string, number | 'self'>): () => PhaseCpu {
  const busyCores = watchBusyCores();
  const seconds = watchProcessCpu(pids);
  return () => ({ busyCores: busyCores(), seconds: seconds() });
}
