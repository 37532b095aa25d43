// Faults and retries, from the trace alone: how often the gateway injected a failure, how often it retried, and
// how the cases that met a fault ended. Pure; the reporters only show it.
//
// Definitions (also in the README):
// - injected: `fault.injected` events (tool and model faults).
// - retries: `retry` events of tools, i.e. extra attempts the gateway made under a tool's retry policy.
// - retry_rate: retries / tool calls (every gateway tool call counts once, however many attempts it took), so
//   "4% of tool calls needed a retry" reads directly; null when there were no tool calls.
// - recovered: tool calls that met at least one injected fault and still succeeded (the retry worked).
// - model_retries / model_calls / model_recovered: the same for the model upstream under `model.retry`.
// - outcomes / pass_rate: over case attempts with at least one injected fault.
import type { EventOf, TraceEvent } from '../trace/events.js';

export interface CaseFaults {
  injected: number;
  retries: number;
  tool_calls: number;
  /** Faulted tool calls that ended ok after a retry. */
  recovered: number;
  model_retries: number;
  model_calls: number;
  /** Faulted model calls that got an answer after a retry. */
  model_recovered: number;
}

export interface RunFaults {
  injected: number;
  retries: number;
  tool_calls: number;
  retry_rate: number | null;
  recovered: number;
  model_retries: number;
  model_calls: number;
  model_retry_rate: number | null;
  model_recovered: number;
  /** Case attempts with at least one injected fault. */
  cases: number;
  /** How those attempts ended, by stop reason (completed, escalated, limit, agent_error, …). */
  outcomes: Record<string, number>;
  /** Share of those attempts that passed. */
  pass_rate: number | null;
}

export function caseFaults(events: TraceEvent[]): CaseFaults {
  const faulted = new Set(events.filter((e): e is EventOf<'fault.injected'> => e.type === 'fault.injected').map((e) => e.call_id));
  const calls = events.filter((e): e is EventOf<'tool.call'> => e.type === 'tool.call');
  const retries = events.filter((e): e is EventOf<'retry'> => e.type === 'retry');
  // A model call id (mc-N) stands for one request, however many upstream attempts and faults it took.
  const modelIds = new Set(events.flatMap((e) => (e.type === 'model.call' || (e.type === 'fault.injected' && e.target === 'model') ? [e.call_id] : [])));
  const answered = new Set(events.filter((e): e is EventOf<'model.call'> => e.type === 'model.call' && !e.error).map((e) => e.call_id));
  return {
    injected: events.filter((e) => e.type === 'fault.injected').length,
    retries: retries.filter((r) => r.tool !== 'model').length,
    tool_calls: calls.length,
    recovered: calls.filter((c) => c.ok && faulted.has(c.call_id)).length,
    model_retries: retries.filter((r) => r.tool === 'model').length,
    model_calls: modelIds.size,
    model_recovered: [...modelIds].filter((id) => faulted.has(id) && answered.has(id)).length,
  };
}

/** `attempts` are agent attempts only: infrastructure errors are kept out, as everywhere in the run scores. */
export function aggregateFaults(attempts: Array<{ status: string; stop_reason: string; faults?: CaseFaults }>): RunFaults {
  const none: CaseFaults = { injected: 0, retries: 0, tool_calls: 0, recovered: 0, model_retries: 0, model_calls: 0, model_recovered: 0 };
  const of = (s: (typeof attempts)[number]) => s.faults ?? none; // scores stored before faults were counted
  const sum = (k: keyof CaseFaults) => attempts.reduce((t, s) => t + (of(s)[k] ?? 0), 0);
  const hit = attempts.filter((s) => of(s).injected > 0);
  const outcomes: Record<string, number> = {};
  for (const s of hit) outcomes[s.stop_reason] = (outcomes[s.stop_reason] ?? 0) + 1;
  const toolCalls = sum('tool_calls');
  return {
    injected: sum('injected'),
    retries: sum('retries'),
    tool_calls: toolCalls,
    retry_rate: toolCalls ? sum('retries') / toolCalls : null,
    recovered: sum('recovered'),
    model_retries: sum('model_retries'),
    model_calls: sum('model_calls'),
    model_retry_rate: sum('model_calls') ? sum('model_retries') / sum('model_calls') : null,
    model_recovered: sum('model_recovered'),
    cases: hit.length,
    outcomes,
    pass_rate: hit.length ? hit.filter((s) => s.status === 'pass').length / hit.length : null,
  };
}
