// Metering shared by both model routes: reserve the worst case before the call, settle to real usage after
// (accumulating the case's tokens and dollars), release on failure, and end the case when a budget is spent.
import { costUsd, resolvePrices, type Prices } from '../providers/pricing.js';
import { isHit, type LimitHit, type Reservation } from '../policy/limits.js';
import type { Usage } from '../trace/events.js';
import type { CaseState } from './session.js';
import { hitLimit } from './stops.js';

export interface Metered {
  reservation: Reservation;
  prices: Prices;
}

/** Reserves input (worst case) + capped output; on a hit the case is stopped and the hit returned. */
export function reserveCall(state: CaseState, worstInputTokens: number, maxOutputTokens: number): Metered | LimitHit {
  const prices = resolvePrices(state.session.plan.model);
  const worst: Usage = { input_tokens: worstInputTokens, output_tokens: maxOutputTokens, cache_read_tokens: 0, cache_write_tokens: 0 };
  const reservation = state.budget.reserve(worstInputTokens + maxOutputTokens, costUsd(worst, prices));
  if (isHit(reservation)) {
    hitLimit(state, reservation);
    return reservation;
  }
  return { reservation, prices };
}

/** Settles a finished call to what it really used; returns its cost. */
export function settleCall(state: CaseState, m: Metered, usage: Usage): number {
  const cost = costUsd(usage, m.prices);
  state.budget.settle(m.reservation, usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens, cost);
  for (const k of Object.keys(usage) as Array<keyof Usage>) state.usage[k] += usage[k];
  state.cost += cost;
  return cost;
}

/** After the call is recorded: a budget that is now spent ends the case (the next call would be refused anyway). */
export function checkSpent(state: CaseState): void {
  const spent = state.budget.exhausted();
  if (spent) hitLimit(state, spent);
}
