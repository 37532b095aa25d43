// What the engine hands the gateway for one case, and what the gateway keeps while the case runs.
import type { RuntimePlan, StopRule } from '../plan/schema.js';
import type { FaultSpec } from '../plan/schema.js';
import type { Provider } from '../providers/types.js';
import type { FixtureStore, ToolImpl } from '../tools/types.js';
import type { StopReason, Usage } from '../trace/events.js';
import type { TraceWriter } from '../trace/writer.js';
import type { Budget } from '../policy/limits.js';
import type { Approver } from './approver.js';
import type { CaseCredentials } from './credentials.js';

export interface CaseSession {
  runId: string;
  caseId: string;
  plan: RuntimePlan;
  tools: Map<string, ToolImpl>;
  store: FixtureStore;
  trace: TraceWriter;
  provider: Provider;
  approver: Approver;
  faults: FaultSpec[];
  seed: number;
  startedAt: number;
  /** Epoch of the case clock tools see (recorded in case.start; a replay reuses it). */
  clockMs: number;
  ticketText: string;
  /** The gateway decided the case must end (limit, stop rule): the engine stops the agent. */
  onStop(stop: { reason: StopReason; detail: string }): void;
}

export interface Escalation {
  by: 'agent' | 'runtime';
  reason: string;
  category?: string;
  summary: string;
  fallback?: boolean;
}

export interface CaseOutcome {
  usage: Usage;
  cost_usd: number;
  steps: number;
  modelCalls: number;
  toolCalls: number;
  escalated: boolean;
  escalation?: Escalation;
  stop?: { reason: StopReason; detail: string };
}

/** Per-case state held by the gateway between calls. */
export interface CaseState {
  session: CaseSession;
  creds: CaseCredentials;
  budget: Budget;
  usage: Usage;
  cost: number;
  modelCalls: number;
  toolCalls: number;
  /** Messages of the previous model call, to record only what is new. */
  lastMessages: unknown[];
  lastPrefixHash: string | null;
  callsPerTarget: Map<string, number>;
  rngs: Map<string, () => number>;
  /** idempotency key → recorded response, so a repeated call does not act twice. */
  done: Map<string, unknown>;
  escalation?: Escalation;
  stop?: { reason: StopReason; detail: string };
  /** ticket_matches stop rules that fired: irreversible actions are refused, and an escalation is required. */
  guard: Array<{ rule: StopRule; phrase: string }>;
  /** Values of excluded fields: seeing one in a write means excluded data leaked. */
  canaries: string[];
  stopped: boolean;
}
