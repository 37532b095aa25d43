// The timeline model: a case's trace turned into the steps a person reads in a postmortem. Both the terminal
// timeline and the HTML report are drawn from this, and this is drawn from the trace alone.
import type { RecordDiff, TraceEvent, Usage } from './events.js';

export type StepKind =
  | 'input'
  | 'model'
  | 'read'
  | 'write'
  | 'denied'
  | 'approval'
  | 'control'
  | 'fault'
  | 'limit'
  | 'stop_rule'
  | 'escalation'
  | 'violation'
  | 'error'
  | 'output'
  | 'end';

export interface TimelineStep {
  seq: number;
  t_ms: number;
  kind: StepKind;
  /** One line: what happened. */
  title: string;
  /** Labelled details (args, result, credential, diff…). Values may be long; renderers fold them. */
  details: Array<[label: string, value: unknown]>;
  cost_usd?: number;
  latency_ms?: number;
}

export interface CaseTimeline {
  caseId: string;
  runId: string;
  title?: string;
  steps: TimelineStep[];
  stop?: { reason: string; detail: string };
  usage?: Usage;
  costUsd: number;
  durationMs: number;
  finalReply?: string;
  changes: RecordDiff[];
  /** Set when the trace ends without case.end (the run crashed or is still going). */
  incomplete: boolean;
}

function toolStep(e: Extract<TraceEvent, { type: 'tool.call' }>): TimelineStep {
  const cred = `${e.credential.id}${e.credential.valid ? '' : ' (INVALID)'}`;
  const details: TimelineStep['details'] = [
    ['credential', `${cred} via ${e.channel}`],
    ['decision', e.reason ? `${e.decision}: ${e.reason}` : e.decision],
    ['args', e.args],
  ];
  if (e.ok) details.push(['result', e.result]);
  else details.push(['error', e.error ?? 'failed']);
  for (const d of e.diff) details.push([`${d.op} ${d.record}`, { before: d.before, after: d.after }]);
  if (e.redacted.length) details.push(['excluded fields removed', e.redacted.join(', ')]);
  if (e.attempt > 1) details.push(['attempt', e.attempt]);
  const kind: StepKind = e.decision === 'deny' ? 'denied' : e.risk === 'read' ? 'read' : 'write';
  const status = e.decision === 'deny' ? 'DENIED' : e.ok ? 'ok' : 'FAILED';
  const replay = e.replayed ? ' (recorded result)' : '';
  return {
    seq: e.seq,
    t_ms: e.t_ms,
    kind,
    title: `${e.tool} [${e.risk}] → ${status}${replay}`,
    details,
    latency_ms: e.latency_ms,
  };
}

function modelStep(e: Extract<TraceEvent, { type: 'model.call' }>): TimelineStep {
  const resp = e.response as { choices?: Array<{ message?: { content?: string | null; tool_calls?: Array<{ function: { name: string } }> } }> } | null;
  const msg = resp?.choices?.[0]?.message;
  const calls = msg?.tool_calls?.map((c) => c.function.name) ?? [];
  const said = calls.length ? `asks for ${calls.join(', ')}` : msg?.content ? 'answers' : e.error ? `error: ${e.error}` : 'responds';
  const tokens = e.usage.input_tokens + e.usage.output_tokens + e.usage.cache_read_tokens + e.usage.cache_write_tokens;
  return {
    seq: e.seq,
    t_ms: e.t_ms,
    kind: 'model',
    title: `model ${e.model}${e.provider === 'replay' ? ' (recorded)' : ''} ${said} (${tokens} tok)`,
    details: [
      ['new input', e.request.new_messages],
      ['output', msg?.content ?? (calls.length ? msg?.tool_calls : e.response)],
      ['usage', e.usage],
    ],
    cost_usd: e.cost_usd,
    latency_ms: e.latency_ms,
  };
}

export function buildTimeline(events: TraceEvent[]): CaseTimeline {
  const start = events.find((e) => e.type === 'case.start');
  const tl: CaseTimeline = {
    caseId: start?.type === 'case.start' ? start.case_id : 'unknown',
    runId: start?.type === 'case.start' ? start.run.run_id : 'unknown',
    title: start?.type === 'case.start' ? start.title : undefined,
    steps: [],
    costUsd: 0,
    durationMs: 0,
    changes: [],
    incomplete: true,
  };
  const push = (e: TraceEvent, kind: StepKind, title: string, details: TimelineStep['details'] = []) =>
    tl.steps.push({ seq: e.seq, t_ms: e.t_ms, kind, title, details });

  for (const e of events) {
    switch (e.type) {
      case 'case.start':
        push(e, 'input', e.replay_of ? `received ticket (re-driving ${e.replay_of}: recorded model responses first)` : 'received ticket', [['ticket', e.ticket]]);
        break;
      case 'model.call':
        tl.steps.push(modelStep(e));
        tl.costUsd += e.cost_usd;
        break;
      case 'tool.call':
        tl.steps.push(toolStep(e));
        if (e.ok) tl.changes.push(...e.diff);
        if (e.ok && (e.tool === 'tickets.draft_reply' || e.tool === 'email.send_customer')) {
          const body = (e.args as { body?: unknown } | null)?.body;
          if (typeof body === 'string') tl.finalReply = body;
        }
        break;
      case 'approval.request':
        push(e, 'approval', `approval asked for ${e.tool} (${e.rule})`, [['args', e.args]]);
        break;
      case 'approval.decision':
        push(e, 'approval', `${e.decision === 'approve' ? 'APPROVED' : 'DENIED'} by ${e.by} (${e.source})`, e.reason ? [['reason', e.reason]] : []);
        break;
      case 'approval.pending':
        push(e, 'approval', `WAITING for a person (${e.queue_id}): the case stops here until approved or denied`, [['may decide', e.approvers.join(', ')]]);
        break;
      case 'control':
        push(e, 'control', `${e.action.toUpperCase()} by ${e.by}`, e.reason ? [['reason', e.reason]] : []);
        break;
      case 'fault.injected':
        push(e, 'fault', `fault injected: ${e.kind} on ${e.target}`);
        break;
      case 'retry':
        push(e, 'fault', `retry ${e.tool} (attempt ${e.attempt}) after ${e.delay_ms} ms`, [['error', e.error]]);
        break;
      case 'limit.hit':
        push(e, 'limit', `LIMIT ${e.limit}: ${e.value} ≥ ${e.max} → ${e.action}`);
        break;
      case 'stop_rule':
        push(e, 'stop_rule', `stop rule "${e.rule}" (${e.trigger}) → ${e.action}`, [['detail', e.detail]]);
        break;
      case 'escalation':
        push(e, 'escalation', `ESCALATED by ${e.by}${e.fallback ? ' (fallback: the agent did not)' : ''}: ${e.category ?? e.reason}`, [['summary', e.summary]]);
        break;
      case 'violation':
        push(e, 'violation', `VIOLATION ${e.kind}`, [['detail', e.detail]]);
        break;
      case 'error':
        push(e, 'error', `error (${e.scope}) ${e.code}`, [['message', e.message]]);
        break;
      case 'sandbox.exit':
        push(e, 'end', `agent exited (code ${e.exit_code}${e.oom_killed ? ', OOM killed' : ''}${e.timed_out ? ', killed at deadline' : ''})`);
        break;
      case 'case.end':
        tl.stop = { reason: e.stop, detail: e.detail };
        tl.usage = e.usage;
        tl.costUsd = e.cost_usd;
        tl.durationMs = e.duration_ms;
        tl.incomplete = false;
        break;
      default:
        break; // sandbox lifecycle and agent output are in the trace, not in the business timeline
    }
  }
  return tl;
}
