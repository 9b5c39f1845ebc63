import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; undefined where /proc cannot tell (not Linux, or gone). */
function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

export interface CpuShare {
  process: string;
  /** CPU ms per timed item (a confirmation, an order). */
  msPerConfirmation: number;
}

/**
 * The CPU time each named process spends during the timed phase, per confirmation: where a path's
 * cost goes when every process shares the same cores.
 */
export class CpuMeter {
  private before = new Map<string, number>();
  private after = new Map<string, number>();

  constructor(private readonly processes: Record<string, number | undefined>) {}

  readonly starting = (): Promise<void> => {
    this.before = this.read();
    return Promise.resolve();
  };

  readonly ended = (): Promise<void> => {
    this.after = this.read();
    return Promise.resolve();
  };

  perConfirmation(confirmations: number): CpuShare[] {
    return [...this.after].flatMap(([name, ms]) => {
      const was = this.before.get(name);
      return was === undefined ? [] : [{ process: name, msPerConfirmation: (ms - was) / confirmations }];
    });
  }

  private read(): Map<string, number> {
    const times = new Map<string, number>();
    for (const [name, pid] of Object.entries(this.processes)) {
      const ms = pid === undefined ? undefined : cpuMsOf(pid);
      if (ms !== undefined) times.set(name, ms);
    }
    return times;
  }
}

/** Both hooks of two timed phases, the first's before the second's on the way in and after it on the way out. */
export function bothPhases(
  outer: { starting: () => Promise<void>; ended: () => Promise<void> } | undefined,
  inner: { starting: () => Promise<void>; ended: () => Promise<void> },
): { starting: () => Promise<void>; ended: () => Promise<void> } {
  if (outer === undefined) return inner;
  return {
    starting: async () => {
      await outer.starting();
      await inner.starting();
    },
    ended: async () => {
      await inner.ended();
      await outer.ended();
    },
  };
}
