// Hard limits with reserve-before / settle-after accounting: a call reserves its worst case before it runs, so
// concurrent calls cannot together slip past a limit, and a failed call releases its reservation.
import type { Limits } from '../plan/schema.js';

export type LimitName = 'steps' | 'tokens' | 'wall_time' | 'cost';

export interface LimitHit {
  limit: LimitName;
  value: number;
  max: number;
}

export interface Reservation {
  id: number;
  tokens: number;
  usd: number;
}

export class Budget {
  steps = 0;
  tokens = 0;
  usd = 0;
  private reservedTokens = 0;
  private reservedUsd = 0;
  private open = new Map<number, Reservation>();
  private next = 1;

  constructor(private readonly limits: Limits) {}

  /** Counts one step (model or tool call); returns the hit if this step goes past max_steps. */
  step(): LimitHit | undefined {
    if (this.steps + 1 > this.limits.max_steps) return { limit: 'steps', value: this.steps + 1, max: this.limits.max_steps };
    this.steps++;
    return undefined;
  }

  /** Reserves a call's worst case; refuses (returns the hit) if that could exceed a limit. */
  reserve(tokens: number, usd: number): Reservation | LimitHit {
    if (this.tokens + this.reservedTokens + tokens > this.limits.max_tokens) {
      return { limit: 'tokens', value: this.tokens + this.reservedTokens + tokens, max: this.limits.max_tokens };
    }
    if (this.usd + this.reservedUsd + usd > this.limits.max_cost_usd) {
      return { limit: 'cost', value: round(this.usd + this.reservedUsd + usd), max: this.limits.max_cost_usd };
    }
    const r = { id: this.next++, tokens, usd };
    this.open.set(r.id, r);
    this.reservedTokens += tokens;
    this.reservedUsd += usd;
    return r;
  }

  /** Replaces the reservation by what the call really used. */
  settle(r: Reservation, tokens: number, usd: number): void {
    this.release(r);
    this.tokens += tokens;
    this.usd += usd;
  }

  release(r: Reservation): void {
    if (!this.open.delete(r.id)) return;
    this.reservedTokens -= r.tokens;
    this.reservedUsd -= r.usd;
  }

  /** After settling: has real usage reached a limit? (The next call would then be refused anyway.) */
  exhausted(): LimitHit | undefined {
    if (this.tokens >= this.limits.max_tokens) return { limit: 'tokens', value: this.tokens, max: this.limits.max_tokens };
    if (this.usd >= this.limits.max_cost_usd) return { limit: 'cost', value: round(this.usd), max: this.limits.max_cost_usd };
    return undefined;
  }

  get pending(): number {
    return this.open.size;
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

export function isHit<T extends object>(x: T | LimitHit): x is LimitHit {
  return 'limit' in x;
}
