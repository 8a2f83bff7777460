// The Debug Console's faults (drop a segment in flight, add a fault rule, inject a segment): each is
// recorded with the trace length at which it was applied, so that a replay (a step back replays from
// a snapshot, src/debug/snapshots.ts) applies it again at the same point; one made after a step back
// changes the future, so what was recorded after that point is forgotten.

import type { SimulationApi } from '../engine/api';

export interface Intervention {
  /** Trace length at which it was applied. */
  at: number;
  description: string;
  apply(sim: SimulationApi): void;
}

export class Interventions {
  private list: Intervention[] = [];
  /** How many of them the simulation's state includes (a snapshot keeps it, a restore sets it back). */
  applied = 0;

  /** Applies the one due at the simulation's trace length, if any; true when it did. */
  applyDue(sim: SimulationApi): boolean {
    const due = this.list[this.applied];
    if (!due || due.at !== sim.trace.length) return false;
    due.apply(sim);
    this.applied++;
    return true;
  }

  /** A new one, applied now: the ones the state does not include and any recorded past now are forgotten. */
  applyNew(sim: SimulationApi, action: Omit<Intervention, 'at'>): void {
    const at = sim.trace.length;
    this.list = this.list.slice(0, this.applied).filter((i) => i.at <= at);
    this.list.push({ at, ...action });
    this.applied = this.list.length;
    action.apply(sim);
  }
}
