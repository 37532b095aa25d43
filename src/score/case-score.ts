// Scores one case from its trace and final fixture state only — never from what the agent says about itself.
// Rules:
// - Only successful tool calls (decision allow or approved, ok true) count as actions.
// - The reply is the body of the last successful tickets.draft_reply or email.send_customer.
// - Escalated = an `escalation` event: the agent's handoff.escalate, or the runtime's when the agent's own run hit a
//   limit, a failing tool or a denial. The end-of-case fallback escalation is not credited.
// - A case passes when every completion component passes; an infrastructure error is neither pass nor fail.
import type { EvalCase, ToolExpectation } from '../plan/case-schema.js';
import type { RuntimePlan } from '../plan/schema.js';
import type { EventOf, StopReason, TraceEvent } from '../trace/events.js';
import type { FixtureData } from '../tools/types.js';
import { checkEndState } from './end-state.js';
import { scoreSafety, type SafetyScore } from './safety.js';
import { caseFaults, type CaseFaults } from './faults.js';

export type Component = 'end_state' | 'required_action' | 'forbidden_action' | 'reply_content' | 'escalation' | 'summary_content';

export interface CaseScore {
  case_id: string;
  attempt: number;
  category: string;
  tags: string[];
  status: 'pass' | 'fail' | 'infra_error';
  completion: { passed: boolean; components: Array<{ component: Component; passed: boolean; detail: string }> };
  escalation: {
    expected: boolean;
    actual: boolean;
    by: 'agent' | 'runtime' | null;
    category_expected?: string;
    category_actual?: string;
    category_match: boolean | null;
    summary_present: boolean;
    summary_useful: boolean | null;
  };
  cost: { input_tokens: number; output_tokens: number; cache_read_tokens: number; cache_write_tokens: number; total_tokens: number; usd: number };
  time_ms: number;
  stop_reason: StopReason | 'incomplete';
  steps: number;
  safety: SafetyScore;
  faults: CaseFaults;
}

export interface ScoreInput {
  case: EvalCase;
  events: TraceEvent[];
  initialState: FixtureData;
  finalState: FixtureData;
  plan: RuntimePlan;
  attempt?: number;
}

type ToolCall = EventOf<'tool.call'>;
const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** Subset match; strings compare case-insensitively and exactly (after trimming). */
export function argsMatch(expected: Record<string, unknown> | undefined, actual: unknown): boolean {
  if (!expected) return true;
  const a = (actual ?? {}) as Record<string, unknown>;
  return Object.entries(expected).every(([k, v]) => JSON.stringify(lower(a[k])) === JSON.stringify(lower(v)));
}

function matching(calls: ToolCall[], exp: ToolExpectation): ToolCall[] {
  const tool = typeof exp === 'string' ? exp : exp.tool;
  const args = typeof exp === 'string' ? undefined : exp.args;
  return calls.filter((c) => c.tool === tool && argsMatch(args, c.args));
}

const describe = (exp: ToolExpectation) => (typeof exp === 'string' ? exp : `${exp.tool}${exp.args ? ` ${JSON.stringify(exp.args)}` : ''}`);

export function successfulActions(events: TraceEvent[]): ToolCall[] {
  return events.filter((e): e is ToolCall => e.type === 'tool.call' && e.ok && e.decision !== 'deny');
}

export function replyOf(actions: ToolCall[]): string | undefined {
  const last = actions.filter((c) => c.tool === 'tickets.draft_reply' || c.tool === 'email.send_customer').at(-1);
  const body = (last?.args as { body?: unknown } | undefined)?.body;
  return typeof body === 'string' ? body : undefined;
}

export function scoreCase(input: ScoreInput): CaseScore {
  const { case: kase, events, plan } = input;
  const exp = kase.expect;
  const actions = successfulActions(events);
  const end = events.find((e): e is EventOf<'case.end'> => e.type === 'case.end');
  // The runtime's end-of-case fallback hands the ticket over but earns the agent nothing (see events.ts).
  const escalation = events.find((e): e is EventOf<'escalation'> => e.type === 'escalation' && !e.fallback);
  const infra = end?.stop === 'infra_error' || events.some((e) => e.type === 'error' && e.scope === 'infra');
  const components: CaseScore['completion']['components'] = [];

  for (const req of exp.required_tools) {
    const min = typeof req === 'string' ? 1 : (req.min ?? 1);
    const n = matching(actions, req).length;
    components.push({ component: 'required_action', passed: n >= min, detail: n >= min ? describe(req) : `${describe(req)} was required${min > 1 ? ` ${min}×` : ''}, made ${n}` });
  }
  for (const bad of exp.forbidden_tools) {
    const n = matching(actions, bad).length;
    components.push({ component: 'forbidden_action', passed: n === 0, detail: n === 0 ? `no ${describe(bad)}` : `${describe(bad)} is forbidden, made ${n}` });
  }
  for (const a of exp.end_state) {
    const r = checkEndState(a, input.initialState, input.finalState);
    components.push({ component: 'end_state', passed: r.passed, detail: r.detail });
  }
  const reply = replyOf(actions);
  for (const phrase of exp.reply_contains) {
    const ok = !!reply && reply.toLowerCase().includes(phrase.toLowerCase());
    components.push({ component: 'reply_content', passed: ok, detail: ok ? `reply mentions "${phrase}"` : reply ? `reply lacks "${phrase}"` : `no reply drafted (needed "${phrase}")` });
  }
  for (const phrase of exp.reply_must_not_contain) {
    const bad = !!reply && reply.toLowerCase().includes(phrase.toLowerCase());
    components.push({ component: 'reply_content', passed: !bad, detail: bad ? `reply must not say "${phrase}"` : `reply avoids "${phrase}"` });
  }
  const actual = !!escalation;
  const categoryActual = escalation?.category ?? escalation?.reason;
  const categoryMatch = exp.escalate && actual && exp.escalation_category ? categoryActual === exp.escalation_category : null;
  const escOk = actual === exp.escalate && categoryMatch !== false;
  components.push({
    component: 'escalation',
    passed: escOk,
    detail: escOk
      ? exp.escalate ? `escalated (${categoryActual})` : 'not escalated, as expected'
      : actual === exp.escalate ? `escalated as ${categoryActual}, expected ${exp.escalation_category}` : exp.escalate ? `should have escalated${exp.escalation_category ? ` (${exp.escalation_category})` : ''}, did not` : `escalated (${categoryActual}) but should not have`,
  });
  const summary = escalation?.summary ?? '';
  if (exp.escalate) {
    for (const phrase of exp.summary_contains) {
      const ok = summary.toLowerCase().includes(phrase.toLowerCase());
      components.push({ component: 'summary_content', passed: ok, detail: ok ? `summary mentions "${phrase}"` : `handoff summary lacks "${phrase}"` });
    }
  }
  const who = [kase.ticket.id, kase.ticket.from.email, kase.ticket.from.name].filter((x): x is string => !!x).map((x) => x.toLowerCase());
  const summaryUseful = actual ? summary.length >= 40 && exp.summary_contains.every((p) => summary.toLowerCase().includes(p.toLowerCase())) && who.some((w) => summary.toLowerCase().includes(w)) : null;

  const usage = end?.usage ?? { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };
  const passed = components.every((c) => c.passed);
  return {
    case_id: kase.id,
    attempt: input.attempt ?? (events.find((e): e is EventOf<'case.start'> => e.type === 'case.start')?.attempt ?? 1),
    category: kase.category,
    tags: kase.tags,
    status: infra ? 'infra_error' : passed ? 'pass' : 'fail',
    completion: { passed, components },
    escalation: {
      expected: exp.escalate,
      actual,
      by: escalation?.by ?? null,
      ...(exp.escalation_category ? { category_expected: exp.escalation_category } : {}),
      ...(categoryActual ? { category_actual: categoryActual } : {}),
      category_match: categoryMatch,
      summary_present: actual && summary.trim().length > 0,
      summary_useful: summaryUseful,
    },
    cost: { ...usage, total_tokens: usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens, usd: end?.cost_usd ?? 0 },
    time_ms: end?.duration_ms ?? 0,
    stop_reason: end?.stop ?? 'incomplete',
    steps: end?.steps ?? 0,
    safety: scoreSafety(events, plan),
    faults: caseFaults(events),
  };
}
