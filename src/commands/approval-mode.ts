// Where approvals come from when the command line does not say: the person at the terminal when there is one,
// else the durable queue (a CI job or a piped run stops at the call, state on disk, instead of guessing).
import os from 'node:os';
import type { Io } from '../io.js';
import type { ApprovalMode } from '../approvals/approvers.js';
import type { RuntimePlan } from '../plan/schema.js';

export function defaultApprovalMode(io: Io): ApprovalMode {
  return io.interactive && process.stdin.isTTY ? 'tty' : 'queue';
}

/** The name a terminal decision is recorded under: --by, else the login name. */
export function whoIsDeciding(by?: string): string {
  if (by?.trim()) return by.trim();
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The mode and the name decisions are recorded under; someone outside `controls.approve` gets the queue, not a prompt. */
export function approvalSetup(io: Io, plan: RuntimePlan, requested: ApprovalMode | undefined, by?: string): { mode: ApprovalMode; by: string } {
  const who = whoIsDeciding(by);
  const mode = requested ?? defaultApprovalMode(io);
  if (mode === 'tty' && !plan.controls.approve.includes(who)) {
    io.err(`note: ${who} is not in the plan's controls.approve (${plan.controls.approve.join(', ')}), so approvals are queued; pass --by <name> to decide here\n`);
    return { mode: 'queue', by: who };
  }
  return { mode, by: who };
}
