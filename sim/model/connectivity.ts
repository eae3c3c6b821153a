// Who can reach a bank or the issuer, when (the 2024 forum's offline concerns): a daily offline spell of some
// hours for a share of agents, and a disaster window for a share of everyone. Stateless functions of time, so
// "when was this agent last online" needs no bookkeeping per agent.
import { DAY } from '../engine/index.ts';
import type { ModelConfig } from './config.ts';

export interface Reach {
  /** Second of the day the daily spell starts, or -1 for none. */
  readonly spellStart: number;
  /** Caught in the disaster window. */
  readonly inDisaster: boolean;
}

export class Connectivity {
  private readonly spell: number;
  private readonly disaster: ModelConfig['connectivity']['disaster'];

  constructor(c: ModelConfig['connectivity']) {
    this.spell = c.offlineHours * 3600;
    this.disaster = c.disaster;
  }

  online(r: Reach, t: number): boolean {
    return this.lastOnline(r, t) === t;
  }

  /** The latest time <= t at which the agent was online. */
  lastOnline(r: Reach, t: number): number {
    let last = t;
    const d = this.disaster;
    if (r.inDisaster && d !== undefined && t >= d.start && t < d.start + d.duration) last = d.start;
    if (r.spellStart >= 0 && this.spell > 0) {
      // Spells start at spellStart each day; look at today's and yesterday's (a spell may cross midnight).
      for (const dayStart of [Math.floor(last / DAY) * DAY, Math.floor(last / DAY) * DAY - DAY]) {
        const s = dayStart + r.spellStart;
        if (last >= s && last < s + this.spell) {
          last = s;
          break;
        }
      }
      // Stepping back to a disaster start may land in a spell, and vice versa; one more pass settles it.
      if (r.inDisaster && d !== undefined && last >= d.start && last < d.start + d.duration) last = d.start;
    }
    return last;
  }
}
