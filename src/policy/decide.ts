// The pure decision for one tool call: allow, deny, or needs approval. The gateway enforces it.
import type { ApprovalRule, RuntimePlan } from '../plan/schema.js';
import { allHold } from './conditions.js';

export type Decision =
  | { kind: 'allow' }
  | { kind: 'deny'; code: 'not_granted' | 'stop_rule'; reason: string }
  | { kind: 'needs_approval'; rule: ApprovalRule; ruleIndex: number };

export function decideToolCall(plan: RuntimePlan, tool: string, args: unknown): Decision {
  if (!plan.tools.some((t) => t.name === tool)) return { kind: 'deny', code: 'not_granted', reason: `tool "${tool}" is not granted by the plan` };
  const ruleIndex = plan.approvals.findIndex((r) => r.tool === tool && allHold(r.when, args));
  if (ruleIndex >= 0) return { kind: 'needs_approval', rule: plan.approvals[ruleIndex]!, ruleIndex };
  return { kind: 'allow' };
}
