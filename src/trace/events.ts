// Trace events: one append-only NDJSON file per case (`.agentrt/runs/<runId>/cases/<caseId>.ndjson`).
// A discriminated union on `type`, every event carrying the schema version `v`. Written by the host (gateways,
// engine), never by the agent. Readers must accept older versions: add fields, never repurpose them.

export const TRACE_SCHEMA_VERSION = 1 as const;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
}

export interface RunHeader {
  run_id: string;
  started_at: string;
  agentrt_version: string;
  git_sha: string | null;
  plan_file: string;
  command: 'run' | 'eval' | 'replay' | 'resume';
  model: { provider: string; name: string };
  hashes: {
    plan: string;
    prompt: string | null;
    tools: string;
    fixtures: string;
    prices: string;
    image: string | null;
  };
  /** Seed of every random choice the host makes (fault rates), so a replay makes the same ones. */
  seed: number;
  /** For `replay --rerun` and `resume`: the run this one re-drives. */
  parent_run_id?: string;
}

export type StopReason =
  | 'completed' // agent exited 0 without escalating
  | 'escalated' // agent (or a stop rule) handed off to a human
  | 'limit' // a hard limit was hit (see limit.hit)
  | 'agent_error' // agent exited non-zero
  | 'oom_killed'
  | 'stopped' // stopped by a person (agentrt stop / Ctrl-C)
  | 'paused' // waiting for an approval or a person
  | 'failed' // a stop rule or limit with action `fail`
  | 'infra_error'; // agentrt or Docker failed: not the agent's fault, kept out of agent scores

export interface Credential {
  /** Non-secret fingerprint of the per-case credential (first 8 hex of its sha256). */
  id: string;
  /** Which case the credential belongs to (null when it matched none). */
  case_id: string | null;
  valid: boolean;
}

export interface RecordDiff {
  record: string; // system.collection.id
  op: 'create' | 'update' | 'delete';
  before: unknown;
  after: unknown;
}

interface Base {
  v: typeof TRACE_SCHEMA_VERSION;
  /** 0-based position in the case file. */
  seq: number;
  /** ISO timestamp. */
  ts: string;
  /** Milliseconds since case start. */
  t_ms: number;
}

export type TraceEvent = Base &
  (
    | {
        type: 'case.start';
        run: RunHeader;
        case_id: string;
        attempt: number;
        ticket: unknown;
        title?: string;
        /** The case clock's epoch (ms): tools see this time plus one second per tool call, so a replay sees the same. */
        clock_ms?: number;
        /** Resume / rerun: the trace this case re-drives (its recorded model responses are served first). */
        replay_of?: string;
      }
    | { type: 'sandbox.create'; container_id: string; image: string; network: string }
    | { type: 'sandbox.start'; container_id: string }
    | { type: 'sandbox.exit'; exit_code: number | null; oom_killed: boolean; timed_out: boolean }
    | { type: 'sandbox.destroy'; container_id: string; error?: string }
    | {
        type: 'model.call';
        call_id: string;
        route: 'openai.chat' | 'anthropic.messages';
        provider: string;
        model: string;
        stream: boolean;
        /** Only what is new since the previous call; the rest is named by `prefix_hash` and `prefix_len`. */
        request: { prefix_len: number; prefix_hash: string | null; new_messages: unknown[]; params: Record<string, unknown> };
        response: unknown;
        usage: Usage;
        cost_usd: number;
        latency_ms: number;
        error?: string;
      }
    | {
        type: 'tool.call';
        call_id: string;
        tool: string;
        risk: 'read' | 'reversible' | 'irreversible' | 'unknown';
        credential: Credential;
        channel: 'json' | 'mcp';
        args: unknown;
        args_hash: string;
        idempotency_key: string;
        decision: 'allow' | 'deny' | 'needs_approval';
        reason?: string;
        ok: boolean;
        result?: unknown;
        error?: string;
        diff: RecordDiff[];
        /** Fields removed from the result because the plan excludes them. */
        redacted: string[];
        attempt: number;
        latency_ms: number;
        replayed?: boolean;
      }
    | {
        type: 'approval.request';
        approval_id: string;
        call_id: string;
        tool: string;
        args: unknown;
        args_hash: string;
        rule: string;
      }
    | {
        type: 'approval.decision';
        approval_id: string;
        call_id: string;
        decision: 'approve' | 'deny';
        by: string;
        source: 'scripted' | 'flag' | 'plan-default' | 'tty' | 'queue' | 'recording';
        reason?: string;
      }
    | {
        /** The call waits for a person: the case stops durably here (`agentrt approvals`, `approve`, `resume`). */
        type: 'approval.pending';
        approval_id: string;
        call_id: string;
        queue_id: string;
        tool: string;
        approvers: string[];
      }
    | {
        /** A person acted on the live run from another terminal (`agentrt pause|resume|stop`). */
        type: 'control';
        action: 'pause' | 'resume' | 'stop';
        by: string;
        reason?: string;
      }
    | { type: 'fault.injected'; target: string; kind: string; call_id: string }
    | { type: 'retry'; tool: string; call_id: string; attempt: number; error: string; delay_ms: number }
    | { type: 'limit.hit'; limit: 'steps' | 'tokens' | 'wall_time' | 'cost'; value: number; max: number; action: 'escalate' | 'fail' | 'pause' }
    | { type: 'stop_rule'; rule: string; trigger: string; action: 'escalate' | 'fail' | 'pause'; detail: string }
    | {
        type: 'escalation';
        by: 'agent' | 'runtime';
        reason: string;
        category?: string;
        summary: string;
        call_id?: string;
        /** The runtime's safety net at case end (a stop rule matched and nobody escalated): the person still gets
         * the ticket, but the agent gets no escalation credit for it. */
        fallback?: boolean;
      }
    | { type: 'violation'; kind: string; detail: string; call_id?: string }
    | { type: 'agent.output'; stream: 'stdout' | 'stderr'; text: string }
    | { type: 'error'; scope: 'infra' | 'agent' | 'tool' | 'model'; code: string; message: string }
    | {
        type: 'case.end';
        stop: StopReason;
        detail: string;
        usage: Usage;
        cost_usd: number;
        steps: number;
        duration_ms: number;
        /** Final fixture state (all systems), so scorers never need the sandbox again. */
        final_state_ref: string;
      }
  );

export type TraceEventType = TraceEvent['type'];
export type EventOf<T extends TraceEventType> = Extract<TraceEvent, { type: T }>;

/** What callers pass to the writer: the writer stamps v, seq, ts and t_ms. */
export type TraceEventInput = TraceEvent extends infer E
  ? E extends TraceEvent
    ? Omit<E, 'v' | 'seq' | 'ts' | 't_ms'>
    : never
  : never;

export const ZERO_USAGE: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 };
