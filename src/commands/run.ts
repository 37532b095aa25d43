// `agentrt run <plan> --case <id> | --ticket <file>`: run one ticket (or a few) in the sandbox, show live progress,
// then print each case's timeline and the path of its trace.
import path from 'node:path';
import type { Io } from '../io.js';
import { UsageError, ExitCode } from '../errors.js';
import { loadPlan } from '../plan/load.js';
import { loadEvalSet, loadTicketAsCase } from '../engine/load-cases.js';
import { selectCases } from '../engine/select-cases.js';
import { executeShown } from './execute-shown.js';
import { composeApprover, type ApprovalMode } from '../approvals/approvers.js';
import { listApprovals } from '../approvals/store.js';
import { ttyAsker } from '../approvals/tty-prompt.js';
import { approvalSetup } from './approval-mode.js';
import { printCaseTimelines } from './stored-results.js';
import { createProgressDisplay } from '../report/progress-display.js';

export interface RunOptions {
  plan: string;
  case?: string[];
  ticket?: string;
  approve?: 'approve' | 'deny';
  approvals?: ApprovalMode;
  by?: string;
  full?: boolean;
  json?: boolean;
}

export async function run(opts: RunOptions, io: Io): Promise<number> {
  // Everything that can be wrong with the input is found before any container or network exists.
  const loaded = await loadPlan(opts.plan);
  if (opts.case?.length && opts.ticket) throw new UsageError('use either --case or --ticket, not both');
  let cases;
  if (opts.ticket) {
    cases = [await loadTicketAsCase(opts.ticket)];
  } else {
    const all = await loadEvalSet(loaded);
    if (!opts.case?.length) {
      throw new UsageError('say which ticket to run: --case <id> (from the eval set) or --ticket <file>', {
        details: [`cases in this plan's eval set: ${all.map((c) => c.id).slice(0, 12).join(', ')}${all.length > 12 ? ', …' : ''}`],
      });
    }
    cases = selectCases(all, { ids: opts.case });
  }
  for (const w of loaded.warnings) io.err(`warning: ${w.path}: ${w.message}\n`);
  const { mode, by } = approvalSetup(io, loaded.plan, opts.approvals, opts.by);
  const ask = mode === 'tty' ? ttyAsker(by) : undefined;

  const display = createProgressDisplay(io, `agentrt run ${path.basename(loaded.file)} — ${cases.length} case(s)`, { verbose: true, plain: mode === 'tty' });
  const execution = await executeShown(display, {
    loaded,
    cases,
    repeat: 1,
    concurrency: 1,
    command: 'run',
    approverFor: (kase, key, ctx) => composeApprover({ kase, mode, runDir: ctx.runDir, caseKey: key, ...(opts.approve ? { fixed: opts.approve } : {}), ...(ask ? { ask } : {}) }),
  });

  await printCaseTimelines(execution.results, opts, io, { run_id: execution.runId, run_dir: execution.runDir });
  if (!opts.json) io.out(`\nRun ${execution.runId} — replay with: agentrt replay ${execution.runId}\n`);
  const waiting = (await listApprovals(execution.runDir)).filter((a) => a.status === 'pending');
  if (waiting.length) {
    io.out(`\n${waiting.length} approval(s) waiting; the case(s) stopped with their state on disk:\n`);
    for (const a of waiting) io.out(`  ${a.id}  ${a.tool} on case ${a.case_key}: agentrt approve|deny ${execution.runId} ${a.id} --by <name>\n`);
    io.out(`then continue with: agentrt resume ${execution.runId}\n`);
  }
  return execution.results.some((r) => r.stop === 'infra_error') ? ExitCode.infra : ExitCode.ok;
}
