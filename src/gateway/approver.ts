// Who answers an approval. Decided on the host, bound to the tool, the call id and a hash of the exact arguments;
// never asked of the agent under test.
import type { ApprovalRule } from '../plan/schema.js';
import type { ScriptedApproval } from '../plan/case-schema.js';
import { allHold } from '../policy/conditions.js';
import type { FixtureData } from '../tools/types.js';

export interface ApprovalRequest {
  approvalId: string;
  callId: string;
  caseId: string;
  runId: string;
  tool: string;
  risk: string;
  args: unknown;
  argsHash: string;
  rule: ApprovalRule;
  /** Where in the plan the rule is, e.g. `approvals[1]`. */
  ruleRef: string;
  /** Who may decide (`controls.approve`). */
  approvers: string[];
  /** The case's records right now, for showing a person what the action would touch. */
  currentState(): FixtureData;
  reason?: string;
}

export interface ApprovalAnswer {
  decision: 'approve' | 'deny';
  by: string;
  source: 'scripted' | 'flag' | 'plan-default' | 'tty' | 'queue' | 'recording';
  reason?: string;
}

/** Nobody has decided yet: the case stops durably at this call and is resumed after the decision. */
export interface PendingApproval {
  pending: true;
  queueId: string;
}

export interface Approver {
  decide(req: ApprovalRequest): Promise<ApprovalAnswer | PendingApproval>;
}

export const isPending = (a: ApprovalAnswer | PendingApproval): a is PendingApproval => 'pending' in a;

/** The rule's own answer: `auto-approve`/`auto-deny` rules, else the rule's `default` (used in CI and tests). */
export function planDefaultApprover(): Approver & { decide(req: ApprovalRequest): Promise<ApprovalAnswer> } {
  return {
    decide: async ({ rule }) => {
      const decision = rule.approver === 'auto-approve' ? 'approve' : rule.approver === 'auto-deny' ? 'deny' : rule.default;
      return { decision, by: 'plan-default', source: 'plan-default', reason: `no person decided; the plan's default for ${rule.tool} is ${decision}` };
    },
  };
}

export function fixedApprover(decision: 'approve' | 'deny', by: string): Approver {
  return { decide: async () => ({ decision, by, source: 'flag', reason: `--approve ${decision}` }) };
}

/** A case's scripted answers (first matching tool + conditions), else the fallback. */
export function scriptedApprover(answers: ScriptedApproval[], fallback: Approver): Approver {
  return {
    decide: async (req) => {
      const hit = answers.find((a) => a.tool === req.tool && allHold(a.when, req.args));
      if (!hit) return fallback.decide(req);
      return { decision: hit.decision, by: hit.by, source: 'scripted', ...(hit.reason ? { reason: hit.reason } : {}) };
    },
  };
}
