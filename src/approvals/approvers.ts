// Who answers an approval, composed in one order for every command:
//   1. a decision already recorded for this exact call (resume and rerun re-drive a recorded case),
//   2. a decision a person made in the queue (`agentrt approve|deny`), bound to the call's argument hash,
//   3. `--approve approve|deny` on the command line,
//   4. `auto-approve` / `auto-deny` rules, then the case's scripted answers,
//   5. for `approver: human` rules: the person at the TTY, or the durable queue,
//   6. the rule's `default` (CI with no person and no script).
import type { EventOf } from '../trace/events.js';
import type { EvalCase } from '../plan/case-schema.js';
import { allHold } from '../policy/conditions.js';
import { planDefaultApprover, type ApprovalAnswer, type ApprovalRequest, type Approver } from '../gateway/approver.js';
import { affectedRecords } from './affected.js';
import { queueId, readApproval, saveApproval } from './store.js';

export type ApprovalMode = 'tty' | 'queue' | 'default';

export interface ApproverSetup {
  kase: EvalCase;
  mode: ApprovalMode;
  runDir: string;
  caseKey: string;
  fixed?: 'approve' | 'deny';
  /** Decisions of the recorded case, by approval id. */
  recorded?: Map<string, ApprovalAnswer>;
  /** Asks the person at the terminal (mode `tty`). */
  ask?: (req: ApprovalRequest) => Promise<ApprovalAnswer>;
}

/** The decisions a recorded trace holds, replayed with their original approver named. */
/** Keyed by approval id and argument hash: a recorded decision never covers other arguments. */
export function recordedDecisions(events: Array<{ type: string }>): Map<string, ApprovalAnswer> {
  const out = new Map<string, ApprovalAnswer>();
  const hashes = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'approval.request') hashes.set((e as EventOf<'approval.request'>).approval_id, (e as EventOf<'approval.request'>).args_hash);
    if (e.type !== 'approval.decision') continue;
    const d = e as EventOf<'approval.decision'>;
    out.set(`${d.approval_id}\0${hashes.get(d.approval_id) ?? ''}`, { decision: d.decision, by: d.by, source: d.source, ...(d.reason ? { reason: d.reason } : {}) });
  }
  return out;
}

async function fromQueue(setup: ApproverSetup, req: ApprovalRequest): Promise<ApprovalAnswer | 'pending' | undefined> {
  const id = queueId(req.runId, setup.caseKey, req.approvalId);
  const stored = await readApproval(setup.runDir, id);
  if (!stored) return undefined;
  if (stored.args_hash !== req.argsHash) return undefined; // a decision covers these exact arguments only
  if (!stored.decision) return 'pending';
  const d = stored.decision;
  return { decision: d.decision, by: d.by, source: 'queue', ...(d.reason ? { reason: d.reason } : {}) };
}

async function enqueue(setup: ApproverSetup, req: ApprovalRequest): Promise<{ pending: true; queueId: string }> {
  const id = queueId(req.runId, setup.caseKey, req.approvalId);
  await saveApproval(setup.runDir, {
    id,
    run_id: req.runId,
    case_key: setup.caseKey,
    approval_id: req.approvalId,
    call_id: req.callId,
    tool: req.tool,
    risk: req.risk,
    args: req.args,
    args_hash: req.argsHash,
    rule: req.ruleRef,
    ...(req.rule.reason ? { rule_reason: req.rule.reason } : {}),
    ...(req.reason ? { agent_reason: req.reason } : {}),
    affected: affectedRecords(req.currentState(), req.args),
    approvers: req.approvers,
    requested_at: new Date().toISOString(),
    status: 'pending',
  });
  return { pending: true, queueId: id };
}

export function composeApprover(setup: ApproverSetup): Approver {
  const fallback = planDefaultApprover();
  return {
    async decide(req) {
      const recorded = setup.recorded?.get(`${req.approvalId}\0${req.argsHash}`);
      if (recorded) return { ...recorded, source: 'recording' };
      const queued = await fromQueue(setup, req);
      if (queued === 'pending') return { pending: true, queueId: queueId(req.runId, setup.caseKey, req.approvalId) };
      if (queued) return queued;
      if (setup.fixed) return { decision: setup.fixed, by: 'cli --approve', source: 'flag', reason: `--approve ${setup.fixed}` };
      if (req.rule.approver === 'auto-approve' || req.rule.approver === 'auto-deny') return fallback.decide(req);
      const hit = setup.kase.approvals.find((a) => a.tool === req.tool && allHold(a.when, req.args));
      if (hit) return { decision: hit.decision, by: hit.by, source: 'scripted', ...(hit.reason ? { reason: hit.reason } : {}) };
      if (req.rule.approver === 'human') {
        if (setup.mode === 'tty' && setup.ask) return setup.ask(req);
        if (setup.mode === 'queue') return enqueue(setup, req);
      }
      return fallback.decide(req);
    },
  };
}
