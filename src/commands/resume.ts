// `agentrt resume <runId>`: a live run that someone paused is thawed; a run whose cases stopped durably (waiting
// for an approval) continues them: each case is re-driven in a fresh sandbox, its recorded model responses served
// first (the recorded prefix, no model call) and the live model after that, with the decisions from the queue.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import { ExitCode, UsageError } from '../errors.js';
import { loadPlan } from '../plan/load.js';
import { executeShown } from './execute-shown.js';
import { openStoredRun, pickCases } from '../engine/stored-run.js';
import { recordedCases, recordedClock, redriveSelection } from '../engine/recorded-cases.js';
import { readLive } from '../engine/control-files.js';
import { createProvider } from '../providers/index.js';
import { cassetteFromEvents, createCaseReplayProvider } from '../providers/replay.js';
import { composeApprover, recordedDecisions, type ApprovalMode } from '../approvals/approvers.js';
import { listApprovals } from '../approvals/store.js';
import { ttyAsker } from '../approvals/tty-prompt.js';
import { createProgressDisplay } from '../report/progress-display.js';
import { sendControl } from './control.js';
import { printCaseTimelines, rescoreStoredRun } from './stored-results.js';
import { approvalSetup } from './approval-mode.js';

export interface ResumeOptions {
  run: string;
  case?: string[];
  by?: string;
  approvals?: ApprovalMode;
  full?: boolean;
  json?: boolean;
  runsDir?: string;
}

export async function resume(opts: ResumeOptions, io: Io): Promise<number> {
  const run = await openStoredRun(opts.run, opts.runsDir);
  if (await readLive(run.runDir)) return sendControl({ run: opts.run, action: 'resume', ...(opts.by ? { by: opts.by } : {}), ...(opts.case ? { case: opts.case } : {}), ...(opts.runsDir ? { runsDir: opts.runsDir } : {}) }, io);

  const loaded = await loadPlan(run.header.plan_file);
  const all = await recordedCases(run, loaded, pickCases(run, opts.case));
  const paused = all.filter((c) => c.end?.stop === 'paused');
  if (!paused.length) {
    throw new UsageError(`run ${run.runId} has no paused case to resume`, {
      details: [`its cases ended: ${all.map((c) => `${c.key} ${c.end?.stop ?? '(unfinished: use agentrt eval --resume)'}`).slice(0, 8).join(', ')}`],
    });
  }
  const waiting = (await listApprovals(run.runDir)).filter((a) => a.status === 'pending');
  const ready = paused.filter((c) => !waiting.some((a) => a.case_key === c.key));
  for (const a of waiting) if (paused.some((c) => c.key === a.case_key)) io.err(`still waiting: ${a.id} (${a.tool}, case ${a.case_key}) — agentrt approve|deny ${run.runId} ${a.id} --by <name>\n`);
  if (!ready.length) throw new UsageError(`every paused case of run ${run.runId} is still waiting for a decision`, { details: ['decide with `agentrt approve|deny`, then resume'] });

  const { mode, by } = approvalSetup(io, loaded.plan, opts.approvals, opts.by);
  // The paused attempt stays next to the new one, for the postmortem; the new trace names it in case.start.
  const previous = new Map<string, string>();
  for (const c of ready) {
    const aside = c.traceFile.replace(/\.ndjson$/, `.paused-${Date.now()}.ndjson.prev`);
    await fs.rename(c.traceFile, aside);
    previous.set(c.key, path.basename(aside));
  }
  const { byKey, cases, repeat, skip } = redriveSelection(ready);
  const live = createProvider(loaded.plan.model, process.env, { planDir: loaded.dir });
  const ask = mode === 'tty' ? ttyAsker(by) : undefined;
  io.err(`resuming ${ready.length} case(s) of run ${run.runId}: recorded prefix first (no model call), then live\n`);
  const display = createProgressDisplay(io, `agentrt resume ${run.runId}`, { verbose: true, plain: mode === 'tty' });
  // Nothing may be lost if the resume is refused (plan changed) or interrupted: a case whose new attempt did not
  // finish gets its paused trace back, so `resume` can be asked again.
  const restore = async () => {
    for (const c of ready) {
      const text = await fs.readFile(c.traceFile, 'utf8').catch(() => '');
      const done = text.includes('"type":"case.end"') && !/"type":"case\.end","stop":"(stopped|infra_error)"/.test(text);
      if (done) continue;
      await fs.rm(c.traceFile, { force: true });
      await fs.rename(path.join(path.dirname(c.traceFile), previous.get(c.key)!), c.traceFile);
    }
  };
  const execution = await executeShown(display, {
    loaded,
    cases,
    repeat,
    skip,
    concurrency: 1,
    command: run.header.command,
    resume: { runId: run.runId, runDir: run.runDir, header: run.header },
    provider: live,
    approverFor: (kase, key) => composeApprover({ kase, mode, runDir: run.runDir, caseKey: key, recorded: recordedDecisions(byKey.get(key)!.events), ...(ask ? { ask } : {}) }),
    caseOptions: (key) => {
      const rc = byKey.get(key)!;
      return { provider: createCaseReplayProvider(cassetteFromEvents(key, rc.events), live), clockMs: recordedClock(rc), replayOf: previous.get(key)! };
    },
  }).catch(async (err: unknown) => {
    await restore();
    throw err;
  });
  await printCaseTimelines(execution.results, opts, io);
  const gated = await rescoreStoredRun(run.runId, opts.runsDir, loaded, io);
  if (execution.results.some((r) => r.stop === 'infra_error')) return ExitCode.infra;
  return gated;
}
