// `agentrt eval <plan>`: the plan's test set in sandboxes, scored from the traces, gated for CI.
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { Io } from '../io.js';
import { GateFailedError, ExitCode } from '../errors.js';
import { loadPlan } from '../plan/load.js';
import { loadEvalSet } from '../engine/load-cases.js';
import { selectCases, parseShard } from '../engine/select-cases.js';
import { execute, partialExecution } from '../engine/execute.js';
import { scoreResult, type ScoredRun } from '../engine/score-run.js';
import { aggregate } from '../score/aggregate.js';
import { evaluateGates } from '../score/gates.js';
import type { CaseScore } from '../score/case-score.js';
import { interruptController } from '../interrupt.js';
import { createProgressDisplay } from '../report/progress-display.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';
import { engineAddress } from '../sandbox/docker-calls.js';
import { resolveReporters, type EvalReport } from '../report/registry.js';
import { loadBaseline } from '../engine/baseline.js';
import { compareRuns } from '../score/compare.js';
import { UsageError } from '../errors.js';
import { prepareResume } from '../engine/resume.js';
import { writeHtmlReport } from '../report/write-html.js';
import { failureSummary, headline } from '../report/score-lines.js';
import { composeApprover, type ApprovalMode } from '../approvals/approvers.js';

export interface EvalOptions {
  plan: string;
  concurrency?: number;
  case?: string[];
  tag?: string[];
  shard?: string;
  repeat?: number;
  gate?: string[];
  reporter?: string[];
  output?: string;
  baseline?: string;
  report?: 'html';
  resume?: string;
  approvals?: Exclude<ApprovalMode, 'tty'>;
}

export async function evalCommand(opts: EvalOptions, io: Io): Promise<number> {
  const loaded = await loadPlan(opts.plan);
  if (opts.shard) parseShard(opts.shard);
  const reporters = resolveReporters(opts.reporter ?? ['default'], opts.output);
  const all = await loadEvalSet(loaded);
  const cases = selectCases(all, { globs: opts.case ?? [], tags: opts.tag ?? [], ...(opts.shard ? { shard: opts.shard } : {}) });
  if (!cases.length) throw new UsageError('no eval case matches the filters', { details: [`the set has ${all.length} cases; check --case/--tag/--shard`] });
  const repeat = opts.repeat ?? loaded.plan.evals?.repeat ?? 1;
  const concurrency = opts.concurrency ?? Math.min(4, os.cpus().length);
  // Gates are checked before anything runs, so a typo in --gate costs nothing.
  evaluateGates(loaded.plan.gates, opts.gate ?? [], null);
  const baseline = opts.baseline ? await loadBaseline(opts.baseline, loaded) : undefined;
  for (const w of loaded.warnings) io.err(`warning: ${w.path}: ${w.message}\n`);

  const resume = opts.resume ? await prepareResume(opts.resume, loaded.plan.logging.trace_dir, cases, repeat) : undefined;
  if (resume) io.err(`resuming run ${resume.run.runId}: ${resume.done.length} case attempt(s) already finished, ${cases.length * repeat - resume.done.length} to run\n`);
  const display = createProgressDisplay(io, `agentrt eval ${path.basename(loaded.file)} — ${cases.length} case(s) × ${repeat}, -j ${concurrency}`, {
    verbose: false,
  });
  const driver = await createDockerDriver();
  const byId = new Map(cases.map((c) => [c.id, c]));
  const perCase = new Map<string, CaseScore[]>();
  let execution;
  let infraAbort: unknown;
  try {
    execution = await execute({
      loaded,
      cases,
      repeat,
      concurrency,
      command: 'eval',
      driver,
      ...(resume ? { resume: { runId: resume.run.runId, runDir: resume.run.runDir, header: resume.run.header }, skip: new Set(resume.done.map((d) => d.key)) } : {}),
      signal: interruptController.signal,
      // CI has no person: the case's scripted answers, then the rule's default — unless a queue is asked for.
      ...(opts.approvals && opts.approvals !== 'default' ? { approverFor: (kase, key, ctx) => composeApprover({ kase, mode: opts.approvals!, runDir: ctx.runDir, caseKey: key }) } : {}),
      onStatus: display.status,
      onRunOpen: (ctx) => display.status(`run ${ctx.runId}`),
      onCaseStart: (key, kase) => display.caseStart(key, kase.title),
      onEvent: display.event,
      onCaseEnd: async (r) => {
        const kase = byId.get(r.caseId)!;
        const score = await scoreResult(loaded.plan, kase, r);
        const list = perCase.get(r.caseId) ?? [];
        list[r.attempt - 1] = score;
        perCase.set(r.caseId, list);
        display.caseEnd(r.key, score.status);
      },
    });
  } catch (err) {
    // The engine died mid-run: score and save what finished (unfinished cases are infra errors), then exit 3.
    execution = partialExecution(err);
    if (!execution) throw err;
    infraAbort = err;
  } finally {
    display.stop();
  }
  for (const r of resume?.done ?? []) {
    const list = perCase.get(r.caseId) ?? [];
    list[r.attempt - 1] = await scoreResult(loaded.plan, byId.get(r.caseId)!, r);
    perCase.set(r.caseId, list);
  }
  const scored: ScoredRun = { perCase, scores: aggregate([...perCase.values()].map((l) => l.filter(Boolean))) };
  const comparison = baseline ? compareRuns(baseline, { scores: scored.scores, cases: [...perCase.values()].flat() }) : undefined;
  if (comparison) scored.scores.baseline = { regressions: comparison.regressions, fixes: comparison.flips.filter((f) => f.from === 'fail' && f.to === 'pass').length };
  const gates = evaluateGates(loaded.plan.gates, opts.gate ?? [], scored.scores);
  const report: EvalReport = {
    runId: execution.runId,
    runDir: execution.runDir,
    header: execution.header,
    plan: loaded.plan,
    cases,
    perCase: scored.perCase,
    scores: scored.scores,
    gates,
    ...(comparison ? { comparison } : {}),
  };
  await fs.writeFile(
    path.join(execution.runDir, 'results.json'),
    JSON.stringify({ run_id: execution.runId, header: execution.header, scores: scored.scores, gates, cases: [...perCase.values()].flat() }, null, 2),
  );
  for (const r of reporters) await r.write(report, io);
  if (opts.report === 'html') {
    const verdicts = new Map([...perCase.values()].flat().map((s) => [s.attempt > 1 ? `${s.case_id}~${s.attempt}` : s.case_id, { verdict: s.status, failing: failureSummary(s) }] as const));
    const file = await writeHtmlReport(execution.runDir, execution.runId, `agentrt eval — ${loaded.plan.name}`, {
      summary: headline(scored.scores),
      gates: gates.results.map((g) => ({ gate: g.gate, passed: g.passed, actual: g.actual })),
      verdicts,
    });
    io.err(`HTML report: ${file}\n`);
  }
  if (infraAbort) {
    const unfinished = execution.results.filter((r) => r.stop === 'infra_error').length;
    io.err(
      `agentrt: the Docker engine at ${engineAddress()} failed during the run: ${unfinished} case attempt(s) could not finish ` +
        `(counted as infrastructure errors, not agent failures); scores of the rest in ${path.join(execution.runDir, 'results.json')}. ` +
        `When the engine is back, \`agentrt cleanup --run ${execution.runId}\` (or the next run) removes what is left.\n`,
    );
    throw infraAbort;
  }
  if (execution.results.every((r) => r.stop === 'infra_error')) return ExitCode.infra;
  if (!gates.passed) {
    const failed = gates.results.filter((g) => !g.passed).map((g) => `${g.gate}: actual ${g.actual ?? 'n/a'}${g.reason ? ` (${g.reason})` : ''}`);
    throw new GateFailedError(`${failed.length} gate(s) failed`, failed);
  }
  return ExitCode.ok;
}
