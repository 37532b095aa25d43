// The one central gate every tool call passes, whatever the channel (JSON endpoint or MCP): step budget,
// allow-list, argument validation, stop-rule guard, approval, faults and retries, the tool itself under a timeout,
// redaction of excluded data, and one `tool.call` record with the state diff.
import { createHash } from 'node:crypto';
import type { EventOf, RecordDiff } from '../trace/events.js';
import { decideToolCall } from '../policy/decide.js';
import { pickFault, seededRandom } from '../policy/faults.js';
import { removeExcluded, withoutExcluded } from '../policy/redaction.js';
import { findCanary } from '../policy/canaries.js';
import { ruleFor } from '../policy/stop-rules.js';
import { canonicalJson } from '../tools/fixture-store.js';
import { validateArgs } from '../tools/registry.js';
import { ToolError } from '../tools/types.js';
import { fingerprint } from './credentials.js';
import type { CaseState } from './session.js';
import { applyStopRule, hitLimit, pauseCase } from './stops.js';
import { isPending } from './approver.js';

export type ToolResponse = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

export interface CallOptions {
  channel: 'json' | 'mcp';
  callId?: string;
  reason?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const hashArgs = (args: unknown) => createHash('sha256').update(canonicalJson(args)).digest('hex');

function runWithTimeout<T>(fn: () => Promise<T> | T, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ToolError('timeout', `tool timed out after ${ms} ms`)), ms);
    Promise.resolve()
      .then(fn)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

export async function callTool(state: CaseState, name: string, rawArgs: unknown, opts: CallOptions): Promise<ToolResponse> {
  const s = state.session;
  const { trace, plan } = s;
  state.toolCalls++;
  const callId = opts.callId ?? `tc-${state.toolCalls}`;
  const key = `${s.runId}:${s.caseId}:${callId}`;
  const recorded = state.done.get(key);
  if (recorded) return recorded as ToolResponse; // a retried or resumed call: same answer, no second action

  const args = (rawArgs ?? {}) as Record<string, unknown>;
  const spec = plan.tools.find((t) => t.name === name);
  const impl = s.tools.get(name);
  const started = Date.now();
  const base: Omit<EventOf<'tool.call'>, 'v' | 'seq' | 'ts' | 't_ms' | 'decision' | 'ok' | 'diff' | 'redacted' | 'attempt' | 'latency_ms'> = {
    type: 'tool.call',
    call_id: callId,
    tool: name,
    risk: spec?.risk ?? 'unknown',
    credential: { id: fingerprint(state.creds.toolToken), case_id: s.caseId, valid: true },
    channel: opts.channel,
    args,
    args_hash: hashArgs(args),
    idempotency_key: `${s.runId}:${callId}`,
  };
  const finish = (resp: ToolResponse, extra: { decision: 'allow' | 'deny' | 'needs_approval'; reason?: string; diff?: RecordDiff[]; redacted?: string[]; attempt?: number }) => {
    trace.write({
      ...base,
      decision: extra.decision,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ok: resp.ok,
      ...(resp.ok ? { result: resp.result } : { error: `${resp.error.code}: ${resp.error.message}` }),
      diff: extra.diff ?? [],
      redacted: extra.redacted ?? [],
      attempt: extra.attempt ?? 1,
      latency_ms: Date.now() - started,
    } as never);
    state.done.set(key, resp);
    return resp;
  };
  const deny = (code: string, message: string) => finish({ ok: false, error: { code, message } }, { decision: 'deny', reason: message });

  if (state.stopped) return { ok: false, error: { code: 'agentrt_stopped', message: 'the case has been stopped by the runtime' } };
  const stepHit = state.budget.step();
  if (stepHit) {
    hitLimit(state, stepHit);
    return deny('agentrt_limit', `step limit ${stepHit.max} reached`);
  }
  const decision = decideToolCall(plan, name, args);
  if (decision.kind === 'deny' || !spec || !impl) {
    trace.write({ type: 'violation', kind: 'ungranted_tool', detail: `called "${name}", which the plan does not grant`, call_id: callId });
    return deny('not_granted', decision.kind === 'deny' ? decision.reason : `tool "${name}" is not available`);
  }
  const argErrors = validateArgs(impl.input, args);
  if (argErrors.length) return deny('invalid_args', argErrors.join('; '));
  const canary = spec.risk === 'read' ? undefined : findCanary(args, state.canaries);
  if (canary) {
    trace.write({ type: 'violation', kind: 'excluded_data', detail: `${name} arguments contain the value of an excluded field (…${canary.slice(-4)})`, call_id: callId });
    return deny('excluded_data', 'the arguments contain excluded data; this write was blocked');
  }
  if (state.guard.length && spec.risk === 'irreversible') {
    const g = state.guard[0]!;
    return deny('stop_rule', `stop rule "${g.rule.name}" (ticket mentions "${g.phrase}") forbids irreversible actions; escalate instead`);
  }
  if (decision.kind === 'needs_approval') {
    const approvalId = `ap-${callId}`;
    const ruleRef = `approvals[${decision.ruleIndex}]`;
    trace.write({ type: 'approval.request', approval_id: approvalId, call_id: callId, tool: name, args, args_hash: base.args_hash, rule: ruleRef });
    const answer = await s.approver.decide({
      approvalId, callId, caseId: s.caseId, runId: s.runId, tool: name, risk: spec.risk, args, argsHash: base.args_hash, rule: decision.rule, ruleRef,
      approvers: plan.controls.approve, currentState: () => withoutExcluded(plan, s.store.snapshot()), ...(opts.reason ? { reason: opts.reason } : {}),
    });
    if (isPending(answer)) {
      trace.write({ type: 'approval.pending', approval_id: approvalId, call_id: callId, queue_id: answer.queueId, tool: name, approvers: plan.controls.approve });
      const resp = finish({ ok: false, error: { code: 'approval_pending', message: `waiting for a person to decide (${answer.queueId}); the case is paused` } }, { decision: 'needs_approval', reason: 'approval pending' });
      pauseCase(state, `waiting for approval ${answer.queueId} (${name}): agentrt approve|deny ${s.runId} ${answer.queueId} --by <name>`);
      return resp;
    }
    trace.write({ type: 'approval.decision', approval_id: approvalId, call_id: callId, decision: answer.decision, by: answer.by, source: answer.source, ...(answer.reason ? { reason: answer.reason } : {}) });
    if (answer.decision === 'deny') {
      const resp = finish({ ok: false, error: { code: 'approval_denied', message: `denied by ${answer.by}${answer.reason ? `: ${answer.reason}` : ''}` } }, { decision: 'needs_approval', reason: 'approval denied' });
      const rule = ruleFor(plan, 'action_denied', name);
      if (rule) applyStopRule(state, rule, `approval for ${name} denied by ${answer.by}`);
      return resp;
    }
  }
  return execute(state, spec, impl, args, callId, decision.kind === 'needs_approval' ? 'needs_approval' : 'allow', finish);
}

async function execute(
  state: CaseState,
  spec: NonNullable<CaseState['session']['plan']['tools'][number]>,
  impl: NonNullable<ReturnType<CaseState['session']['tools']['get']>>,
  args: Record<string, unknown>,
  callId: string,
  decision: 'allow' | 'needs_approval',
  finish: (resp: ToolResponse, extra: { decision: 'allow' | 'needs_approval'; reason?: string; diff?: RecordDiff[]; redacted?: string[]; attempt?: number }) => ToolResponse,
): Promise<ToolResponse> {
  const s = state.session;
  const canRetry = spec.risk === 'read' || spec.idempotent;
  const maxAttempts = canRetry ? (spec.retry?.max_attempts ?? 1) : 1;
  let lastError: ToolError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const nth = (state.callsPerTarget.get(spec.name) ?? 0) + 1;
    state.callsPerTarget.set(spec.name, nth);
    let rng = state.rngs.get(spec.name);
    if (!rng) state.rngs.set(spec.name, (rng = seededRandom(s.seed ^ hashSeed(spec.name))));
    const fault = pickFault(s.faults, spec.name, nth, rng);
    const diffsBefore = s.store.diffs().length;
    try {
      if (fault) {
        s.trace.write({ type: 'fault.injected', target: spec.name, kind: fault.kind, call_id: callId });
        if (fault.kind === 'timeout') await sleep(Math.min(spec.timeout_ms, 50));
        if (fault.kind !== 'malformed') throw new ToolError(fault.kind === 'timeout' ? 'timeout' : 'unavailable', fault.message ?? `${spec.name} ${fault.kind === 'rate_limit' ? 'is rate limited (429)' : fault.kind === 'timeout' ? 'timed out' : 'is unavailable (503)'}`);
        return finish({ ok: true, result: '<<malformed upstream response: \u0000\u001f{"trunc'.slice(0, 40) }, { decision, attempt });
      }
      const ctx = { store: s.store, callId, runId: s.runId, caseId: s.caseId, now: () => new Date(s.clockMs + state.toolCalls * 1000) };
      const raw = await runWithTimeout(() => impl.run(args, ctx), spec.timeout_ms);
      const { value, removed } = removeExcluded(s.plan, spec.system, raw);
      const resp = finish({ ok: true, result: value }, { decision, diff: s.store.diffs().slice(diffsBefore), redacted: removed, attempt });
      if (spec.name === 'handoff.escalate') {
        const category = String(args.reason);
        state.escalation = { by: 'agent', reason: category, category, summary: String(args.summary ?? '') };
        s.trace.write({ type: 'escalation', by: 'agent', reason: category, category, summary: String(args.summary ?? ''), call_id: callId });
      }
      return resp;
    } catch (err) {
      lastError = err instanceof ToolError ? err : new ToolError('unavailable', err instanceof Error ? err.message : String(err));
      const retryable = fault ? (spec.retry?.on ?? ['error', 'timeout', 'rate_limit']).includes(fault.kind as never) : lastError.kind === 'timeout' || lastError.kind === 'unavailable';
      if (attempt < maxAttempts && retryable) {
        const delay = (spec.retry?.backoff_ms ?? 200) * 2 ** (attempt - 1);
        s.trace.write({ type: 'retry', tool: spec.name, call_id: callId, attempt: attempt + 1, error: lastError.message, delay_ms: delay });
        await sleep(delay);
        continue;
      }
      const resp = finish({ ok: false, error: { code: lastError.kind, message: lastError.message } }, { decision, diff: s.store.diffs().slice(diffsBefore), attempt });
      // Only an outage ends the case by rule; a not_found or a conflict is information the agent should act on.
      const outage = lastError.kind === 'timeout' || lastError.kind === 'unavailable';
      const rule = outage ? ruleFor(s.plan, 'tool_failed', spec.name) : undefined;
      if (rule) applyStopRule(state, rule, `${spec.name} failed after ${attempt} attempt(s): ${lastError.message}`);
      return resp;
    }
  }
  return finish({ ok: false, error: { code: lastError?.kind ?? 'unavailable', message: lastError?.message ?? 'failed' } }, { decision });
}

function hashSeed(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0);
}
