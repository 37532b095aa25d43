// Faults, retries and how faulted cases ended, from hand-written traces; and the reporters show them only when a
// fault happened.
import { describe, expect, it } from 'vitest';
import { evalCase } from '../plan/case-schema.js';
import { runtimePlan } from '../plan/schema.js';
import type { TraceEvent, TraceEventInput } from '../trace/events.js';
import { scoreCase, type CaseScore } from './case-score.js';
import { aggregate } from './aggregate.js';
import { caseFaults } from './faults.js';
import { evaluateGates } from './gates.js';
import { defaultReport } from '../report/default-reporter.js';
import { markdownReport } from '../report/markdown-reporter.js';
import type { EvalReport } from '../report/registry.js';

const plan = runtimePlan.parse({
  version: 1, name: 't', owner: 'owner', workflow: 'a test workflow', systems: [{ name: 'kb', fixtures: 'x' }, { name: 'handoff', fixtures: 'x' }],
  tools: [
    { name: 'kb.search', system: 'kb', verb: 'search', description: 'd', risk: 'read', retry: { max_attempts: 3 } },
    { name: 'handoff.escalate', system: 'handoff', verb: 'esc', description: 'd', risk: 'reversible' },
  ],
  controls: { pause: ['a'], stop: ['a'], approve: ['a'] }, rollback: { owner: 'a' }, model: { provider: 'offline', name: 'b' }, agent: { command: ['x'] },
});
const kase = (id: string, escalate: boolean) =>
  evalCase.parse({ id, title: 'a case', category: 'tool_outage', ticket: { id: 'T-1', channel: 'email', from: {}, body: 'b' }, expect: { escalate } });

const trace = (...events: TraceEventInput[]) => events.map((e, i) => ({ v: 1, seq: i, ts: '2026-11-25T00:00:00Z', t_ms: i, ...e }) as TraceEvent);
const call = (id: string, ok: boolean, attempt = 1): TraceEventInput =>
  ({ type: 'tool.call', call_id: id, tool: 'kb.search', risk: 'read', credential: { id: 'c', case_id: 'c', valid: true }, channel: 'json', args: {}, args_hash: 'h', idempotency_key: 'k', decision: 'allow', ok, diff: [], redacted: [], attempt, latency_ms: 1 }) as TraceEventInput;
const fault = (id: string, target = 'kb.search'): TraceEventInput => ({ type: 'fault.injected', target, kind: 'error', call_id: id }) as TraceEventInput;
const retry = (id: string, attempt: number): TraceEventInput => ({ type: 'retry', tool: 'kb.search', call_id: id, attempt, error: 'kb.search is unavailable (503)', delay_ms: 100 }) as TraceEventInput;
const end = (stop: string): TraceEventInput =>
  ({ type: 'case.end', stop, detail: '', usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 }, cost_usd: 0, steps: 1, duration_ms: 10, final_state_ref: 'x' }) as TraceEventInput;
const escalation: TraceEventInput = { type: 'escalation', by: 'agent', reason: 'tool_failure', category: 'tool_failure', summary: 'kb down', call_id: 'e' } as TraceEventInput;
const score = (id: string, escalate: boolean, events: TraceEvent[]) => scoreCase({ case: kase(id, escalate), events, initialState: {}, finalState: {}, plan });

// A: first kb.search fails, the retry succeeds, one more clean call, completes (passes).
const recovered = score('recovered', false, trace(fault('c1'), retry('c1', 2), call('c1', true, 2), call('c2', true), end('completed')));
// B: every attempt fails (3 faults, 2 retries), the agent escalates (passes: escalation expected).
const exhausted = score('exhausted', true, trace(fault('c1'), retry('c1', 2), fault('c1'), retry('c1', 3), fault('c1'), call('c1', false, 3), escalation, end('escalated')));
// C: a model fault, no tool call; the agent errors out without the expected handoff (fails).
const modelFault = score('model', true, trace(fault('m1', 'model'), end('agent_error')));
// D: no fault at all.
const clean = score('clean', false, trace(call('c1', true), call('c2', true), end('completed')));

describe('faults in the scores', () => {
  it('counts per case from the trace: injected, retries, tool calls and recovered calls', () => {
    expect(recovered.faults).toEqual({ injected: 1, retries: 1, tool_calls: 2, recovered: 1, model_retries: 0, model_calls: 0, model_recovered: 0 });
    expect(exhausted.faults).toEqual({ injected: 3, retries: 2, tool_calls: 1, recovered: 0, model_retries: 0, model_calls: 0, model_recovered: 0 });
    expect(modelFault.faults).toEqual({ injected: 1, retries: 0, tool_calls: 0, recovered: 0, model_retries: 0, model_calls: 1, model_recovered: 0 });
    expect(caseFaults(trace(end('completed')))).toEqual({ injected: 0, retries: 0, tool_calls: 0, recovered: 0, model_retries: 0, model_calls: 0, model_recovered: 0 });
    // A model 500 retried by the gateway under model.retry, then answered: a model retry, not a tool retry.
    const modelRetry = trace(fault('mc-1', 'model'), { type: 'retry', tool: 'model', call_id: 'mc-1', attempt: 2, error: '500', delay_ms: 250 } as TraceEventInput, { type: 'model.call', call_id: 'mc-1' } as TraceEventInput, end('completed'));
    expect(caseFaults(modelRetry)).toEqual({ injected: 1, retries: 0, tool_calls: 0, recovered: 0, model_retries: 1, model_calls: 1, model_recovered: 1 });
  });

  it('aggregates: retry rate = retries / tool calls; outcomes and pass rate over the faulted attempts only', () => {
    const s = aggregate([[recovered], [exhausted], [modelFault], [clean]]);
    expect(s.faults).toEqual({
      injected: 5, retries: 3, tool_calls: 5, retry_rate: 3 / 5, recovered: 1, model_retries: 0, model_calls: 1, model_retry_rate: 0, model_recovered: 0,
      cases: 3, outcomes: { completed: 1, escalated: 1, agent_error: 1 }, pass_rate: 2 / 3,
    });
  });

  it('keeps infrastructure errors out, as every agent denominator', () => {
    const infra = score('infra', false, trace(fault('c1'), retry('c1', 2), call('c1', true, 2), end('infra_error')));
    expect(infra.status).toBe('infra_error');
    expect(aggregate([[clean], [infra]]).faults).toMatchObject({ injected: 0, retries: 0, tool_calls: 2, retry_rate: 0, cases: 0, pass_rate: null });
  });

  it('is gateable: faults.retry_rate, faults.pass_rate, faults.injected', () => {
    const s = aggregate([[recovered], [exhausted], [modelFault], [clean]]);
    const g = evaluateGates(['faults.retry_rate <= 0.5', 'faults.pass_rate >= 0.9', 'faults.injected == 5'], [], s);
    expect(g.results.map((r) => [r.gate, r.passed, r.actual])).toEqual([
      ['faults.retry_rate <= 0.5', false, 0.6],
      ['faults.pass_rate >= 0.9', false, 0.666667], // actuals are rounded for display
      ['faults.injected == 5', true, 5],
    ]);
  });
});

function report(cases: CaseScore[]): EvalReport {
  const perCase = new Map(cases.map((c) => [c.case_id, [c]]));
  return {
    runId: 'run-1', runDir: '/runs/run-1', header: { model: { provider: 'offline', name: 'b' } }, plan, cases: [], perCase,
    scores: aggregate([...perCase.values()]), gates: { passed: true, results: [] },
  } as unknown as EvalReport;
}

describe('faults in the reports', () => {
  it('default and markdown show the retry rate and how faulted cases ended', () => {
    const r = report([recovered, exhausted, modelFault, clean]);
    const text = defaultReport(r);
    expect(text).toContain('Faults');
    expect(text).toMatch(/faults injected\s+5/);
    expect(text).toMatch(/gateway retries\s+3 \(retry rate 60\.0% of 5 tool calls\)/);
    expect(text).toMatch(/cases with faults\s+3: agent_error 1, completed 1, escalated 1/);
    expect(text).toMatch(/pass rate with faults\s+66\.7%/);
    const md = markdownReport(r);
    expect(md).toContain('| gateway retries | 3 (retry rate 60.0% of 5 tool calls) |');
    expect(md).toContain('| cases with faults | 3: agent_error 1, completed 1, escalated 1 |');
  });

  it('a run without faults has no faults section', () => {
    const r = report([clean]);
    expect(defaultReport(r)).not.toContain('Faults');
    expect(markdownReport(r)).not.toContain('faults');
  });
});
