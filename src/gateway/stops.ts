// How the runtime ends a case on its own authority: a hard limit or a stop rule. The plan's action decides;
// `escalate` hands the ticket to a person with a summary built from what the trace holds.
import type { StopRule } from '../plan/schema.js';
import type { LimitHit } from '../policy/limits.js';
import type { CaseState } from './session.js';

function runtimeSummary(state: CaseState, why: string): string {
  const ticket = state.session.ticketText.split('\n')[0]?.slice(0, 120) ?? '';
  return `${why}. Ticket: "${ticket}" (case ${state.session.caseId}). The agent made ${state.modelCalls} model call(s) and ${state.toolCalls} tool call(s) before the runtime stopped it; see the trace for details.`;
}

function escalate(state: CaseState, reason: string, category: string, why: string, fallback = false): void {
  if (state.escalation) return;
  state.escalation = { by: 'runtime', reason, category, summary: runtimeSummary(state, why), ...(fallback ? { fallback } : {}) };
  state.session.trace.write({ type: 'escalation', by: 'runtime', reason, category, summary: state.escalation.summary, ...(fallback ? { fallback } : {}) });
}

function stop(state: CaseState, reason: CaseState['stop'] & object): void {
  if (state.stopped) return;
  state.stopped = true;
  state.stop = reason;
  state.session.onStop(reason);
}

export function hitLimit(state: CaseState, hit: LimitHit): void {
  if (state.stopped) return;
  const action = state.session.plan.limits.on_limit;
  state.session.trace.write({ type: 'limit.hit', limit: hit.limit, value: hit.value, max: hit.max, action });
  if (action === 'escalate') escalate(state, 'limit_hit', 'limit_hit', `${hit.limit} limit reached (${hit.value} of ${hit.max})`);
  stop(state, { reason: action === 'pause' ? 'paused' : action === 'fail' ? 'failed' : 'limit', detail: `${hit.limit} limit ${hit.max} reached` });
}

export function applyStopRule(state: CaseState, rule: StopRule, detail: string): void {
  if (state.stopped) return;
  state.session.trace.write({ type: 'stop_rule', rule: rule.name, trigger: rule.trigger, action: rule.action, detail });
  if (rule.action === 'escalate') {
    escalate(state, rule.category ?? rule.trigger, rule.category ?? 'other', `stop rule "${rule.name}": ${detail}`);
    stop(state, { reason: 'escalated', detail: `stop rule ${rule.name}` });
  } else stop(state, { reason: rule.action === 'pause' ? 'paused' : 'failed', detail: `stop rule ${rule.name}: ${detail}` });
}

/** A person must decide before the case can go on: stop it durably (resumed later with `agentrt resume`). */
export function pauseCase(state: CaseState, detail: string): void {
  stop(state, { reason: 'paused', detail });
}

/** At case end: a guard rule fired on the ticket but nobody escalated → the runtime escalates. */
export function enforceGuard(state: CaseState): void {
  const g = state.guard[0];
  if (!g || state.escalation) return;
  escalate(state, g.rule.category ?? 'other', g.rule.category ?? 'other', `stop rule "${g.rule.name}" matched "${g.phrase}" in the ticket and the agent did not escalate`, true);
}
