// `agentrt replay <runId> --rerun [--plan <file>] [--case <id>]`: re-drive each recorded case in a fresh sandbox
// with its recorded model responses (no model call is made), running the tools for real against fresh fixtures,
// under the original or a changed plan / tool code. Reports, per case, the first step where the new run departs
// from the recording and the old vs new scores; the new run is stored, linked to the old one (parent_run_id).
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { Io } from '../io.js';
import { ExitCode, UsageError } from '../errors.js';
import { loadPlan } from '../plan/load.js';
import { executeShown } from './execute-shown.js';
import { openStoredRun, pickCases } from '../engine/stored-run.js';
import { recordedCases, recordedClock, redriveSelection, resultFromTrace, type RecordedCase } from '../engine/recorded-cases.js';
import { scoreRun } from '../engine/score-run.js';
import { cassetteFromEvents, createCaseReplayProvider } from '../providers/replay.js';
import { UpstreamError } from '../providers/upstream.js';
import { composeApprover, recordedDecisions } from '../approvals/approvers.js';
import { createProgressDisplay } from '../report/progress-display.js';
import { readTraceFile } from '../trace/reader.js';
import { firstDivergence, type Divergence } from '../trace/divergence.js';
import { formatMetric } from '../report/score-lines.js';
import type { RunScores } from '../score/aggregate.js';
import type { CaseScore } from '../score/case-score.js';
import { caseKey } from '../engine/run-id.js';

export interface RerunOptions {
  run: string;
  plan?: string;
  case?: string[];
  runsDir?: string;
  json?: boolean;
  concurrency?: number;
}

interface CaseComparison {
  case: string;
  divergence: Divergence | null;
  old: { status: CaseScore['status']; stop: string } | null;
  now: { status: CaseScore['status']; stop: string } | null;
}

const byKey = (perCase: Map<string, CaseScore[]>) =>
  new Map([...perCase.values()].flat().map((s) => [caseKey(s.case_id, s.attempt), s] as const));

export async function rerun(opts: RerunOptions, io: Io): Promise<number> {
  const old = await openStoredRun(opts.run, opts.runsDir);
  const planFile = opts.plan ?? old.header.plan_file;
  const loaded = await loadPlan(planFile).catch((err: unknown) => {
    if (opts.plan) throw err;
    throw new UsageError(`cannot load the plan run ${old.runId} used (${planFile})`, { details: [`give one with --plan <file>`, String((err as Error).message ?? err)] });
  });
  const recorded = await recordedCases(old, loaded, pickCases(old, opts.case));
  if (!recorded.length) throw new UsageError(`run ${old.runId} has no case to re-drive`, { details: ['its traces hold no case.start'] });
  io.err(`rerun of ${old.runId}: ${recorded.length} case(s) with recorded model responses, no model calls${opts.plan ? `, under ${opts.plan}` : ''}\n`);

  const { byKey: byRecordedKey, cases, repeat, skip } = redriveSelection(recorded);
  const display = createProgressDisplay(io, `agentrt replay --rerun ${old.runId}`, { verbose: false });
  const execution = await executeShown(display, {
    loaded,
    cases,
    repeat,
    skip,
    concurrency: opts.concurrency ?? 2,
    command: 'replay',
    parentRunId: old.runId,
    seed: old.header.seed,
    provider: { id: 'replay', complete: async () => { throw new UpstreamError(409, 'replay: no recording for this case'); } },
    approverFor: (kase, key) => composeApprover({ kase, mode: 'default', runDir: old.runDir, caseKey: key, recorded: recordedDecisions(byRecordedKey.get(key)!.events) }),
    caseOptions: (key) => {
      const rc = byRecordedKey.get(key)!;
      return { provider: createCaseReplayProvider(cassetteFromEvents(key, rc.events)), clockMs: recordedClock(rc), replayOf: `${old.runId}/${key}` };
    },
  });

  const oldScores = await scoreRun(loaded.plan, cases, recorded.map(resultFromTrace).filter((r): r is NonNullable<typeof r> => !!r));
  const newScores = await scoreRun(loaded.plan, cases, execution.results);
  const oldBy = byKey(oldScores.perCase);
  const newBy = byKey(newScores.perCase);
  const comparisons: CaseComparison[] = [];
  for (const r of execution.results.sort((a, b) => a.key.localeCompare(b.key))) {
    const rc = byRecordedKey.get(r.key)!;
    const { events } = await readTraceFile(r.traceFile);
    const o = oldBy.get(r.key);
    const n = newBy.get(r.key);
    comparisons.push({
      case: r.key,
      divergence: firstDivergence(rc.events, events),
      old: o ? { status: o.status, stop: String(o.stop_reason) } : null,
      now: n ? { status: n.status, stop: String(n.stop_reason) } : null,
    });
  }
  const summary = {
    run_id: execution.runId,
    rerun_of: old.runId,
    plan_file: path.relative(process.cwd(), loaded.file) || loaded.file,
    plan_changed: loaded.hash !== old.header.hashes.plan,
    identical: comparisons.every((c) => !c.divergence),
    cases: comparisons,
    scores: { old: oldScores.scores, now: newScores.scores },
  };
  await fs.writeFile(path.join(execution.runDir, 'rerun.json'), JSON.stringify(summary, null, 2) + '\n');

  if (opts.json) io.out(JSON.stringify(summary, null, 2) + '\n');
  else io.out(renderRerun(summary, recorded));
  return execution.results.some((r) => r.stop === 'infra_error') ? ExitCode.infra : ExitCode.ok;
}

function renderRerun(s: { run_id: string; rerun_of: string; identical: boolean; cases: CaseComparison[]; scores: { old: RunScores; now: RunScores } }, recorded: RecordedCase[]): string {
  const lines = [`\nRerun ${s.run_id} of ${s.rerun_of} (${recorded.length} case(s), no model calls)`];
  for (const c of s.cases) {
    const verdict = `${c.old?.status ?? 'n/a'} → ${c.now?.status ?? 'n/a'}`;
    if (!c.divergence) lines.push(`  = ${c.case.padEnd(34)} same steps as recorded   ${verdict}`);
    else {
      lines.push(`  ≠ ${c.case.padEnd(34)} diverges at step ${c.divergence.step} (${c.divergence.kind})   ${verdict}`);
      lines.push(`      recorded: ${c.divergence.recorded}`);
      lines.push(`      now:      ${c.divergence.now}`);
    }
  }
  const o = s.scores.old;
  const n = s.scores.now;
  lines.push(
    '',
    `  completion           ${formatMetric(o.completion, 'pct')} → ${formatMetric(n.completion, 'pct')}`,
    `  escalation P / R     ${formatMetric(o.escalation.precision, 'pct')} / ${formatMetric(o.escalation.recall, 'pct')} → ${formatMetric(n.escalation.precision, 'pct')} / ${formatMetric(n.escalation.recall, 'pct')}`,
    `  safety violations    ${o.safety.violations} → ${n.safety.violations}`,
    `  cost (recorded)      ${formatMetric(o.cost.total_usd, 'usd')} → ${formatMetric(n.cost.total_usd, 'usd')}`,
    '',
    s.identical ? 'Every case reproduced its recording exactly.' : `${s.cases.filter((c) => c.divergence).length} case(s) diverged; the new run is stored: agentrt replay ${s.run_id}`,
    '',
  );
  return lines.join('\n');
}
