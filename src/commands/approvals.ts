// `agentrt approvals` lists the approvals waiting for a person; `agentrt approve|deny <runId> <id> --by <name>`
// decides one. The decision goes into the approval's file (atomically); `agentrt resume <runId>` then continues the
// case, and the decision and who made it are written to its trace. The plan's `controls.approve` says who may.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import { UsageError } from '../errors.js';
import { DEFAULT_RUNS_DIR, openStoredRun } from '../engine/stored-run.js';
import { listApprovals, readApproval, saveApproval, type StoredApproval } from '../approvals/store.js';
import { canonicalJson } from '../tools/fixture-store.js';
import { printable } from '../approvals/tty-prompt.js';

export interface ApprovalsOptions {
  run?: string;
  all?: boolean;
  json?: boolean;
  runsDir?: string;
}

const clip = (s: string, n: number) => printable(s.length > n ? `${s.slice(0, n - 1)}…` : s);

export async function approvals(opts: ApprovalsOptions, io: Io): Promise<number> {
  const runsDir = path.resolve(opts.runsDir ?? DEFAULT_RUNS_DIR);
  const runDirs = opts.run ? [(await openStoredRun(opts.run, opts.runsDir)).runDir] : (await fs.readdir(runsDir).catch(() => [] as string[])).sort().map((r) => path.join(runsDir, r));
  const found: StoredApproval[] = [];
  for (const dir of runDirs) found.push(...(await listApprovals(dir)).filter((a) => opts.all || a.status === 'pending'));
  if (opts.json) {
    io.out(JSON.stringify(found, null, 2) + '\n');
    return 0;
  }
  if (!found.length) {
    io.out(`no ${opts.all ? '' : 'pending '}approvals in ${path.relative(process.cwd(), runsDir) || '.'}\n`);
    return 0;
  }
  for (const a of found) {
    io.out(`${a.id}  ${a.status.padEnd(8)} run ${a.run_id}  case ${a.case_key}  ${a.tool} [${a.risk}]  asked ${a.requested_at}\n`);
    io.out(`    args: ${clip(canonicalJson(a.args), 200)}\n`);
    if (a.rule_reason) io.out(`    why it needs approval: ${a.rule_reason} (${a.rule})\n`);
    if (a.agent_reason) io.out(`    the agent's reason: ${clip(a.agent_reason, 200)}\n`);
    for (const r of a.affected) io.out(`    affects ${r.record}: ${clip(canonicalJson(r.current), 200)}\n`);
    if (a.decision) io.out(`    ${a.status} by ${a.decision.by} at ${a.decision.decided_at}${a.decision.reason ? `: ${a.decision.reason}` : ''}\n`);
    else io.out(`    decide: agentrt approve ${a.run_id} ${a.id} --by <name>   |   agentrt deny ${a.run_id} ${a.id} --by <name> --reason "…"   (may decide: ${a.approvers.join(', ')})\n`);
  }
  return 0;
}

export interface DecideOptions {
  run: string;
  id: string;
  decision: 'approve' | 'deny';
  by?: string;
  reason?: string;
  runsDir?: string;
}

export async function decide(opts: DecideOptions, io: Io): Promise<number> {
  const run = await openStoredRun(opts.run, opts.runsDir);
  const a = await readApproval(run.runDir, opts.id);
  if (!a) {
    const pending = (await listApprovals(run.runDir)).filter((x) => x.status === 'pending').map((x) => `${x.id} (${x.tool}, case ${x.case_key})`);
    throw new UsageError(`run ${run.runId} has no approval "${opts.id}"`, {
      code: 'E_NO_APPROVAL',
      details: [pending.length ? `pending in this run: ${pending.join(', ')}` : 'nothing is pending in this run; list all with `agentrt approvals`'],
    });
  }
  if (a.decision) {
    throw new UsageError(`approval ${a.id} was already ${a.status} by ${a.decision.by} at ${a.decision.decided_at}`, {
      code: 'E_APPROVAL_DECIDED',
      details: ['a decision is final; continue the case with `agentrt resume ' + run.runId + '`'],
    });
  }
  const by = opts.by?.trim();
  if (!by) throw new UsageError('say who decides: --by <name>', { details: [`who may: ${a.approvers.join(', ')} (the plan's controls.approve)`] });
  if (!a.approvers.includes(by)) {
    throw new UsageError(`${by} may not decide approvals of this run`, {
      code: 'E_NOT_APPROVER',
      details: [`the plan's controls.approve lists: ${a.approvers.join(', ')}`],
    });
  }
  const decided: StoredApproval = {
    ...a,
    status: opts.decision === 'approve' ? 'approved' : 'denied',
    decision: { decision: opts.decision, by, ...(opts.reason ? { reason: opts.reason } : {}), decided_at: new Date().toISOString() },
  };
  await saveApproval(run.runDir, decided);
  io.out(`${decided.status} ${a.id} (${a.tool} on case ${a.case_key}) by ${by}${opts.reason ? `: ${opts.reason}` : ''}\n`);
  io.out(`continue the case: agentrt resume ${run.runId}\n`);
  return 0;
}
