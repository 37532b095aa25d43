// Scores a finished run from what is on disk only (the traces and state snapshots), so `eval`, `diff`, `explain`
// and a rerun all get the same numbers from the same files.
import { promises as fs } from 'node:fs';
import type { EvalCase } from '../plan/case-schema.js';
import type { RuntimePlan } from '../plan/schema.js';
import type { FixtureData } from '../tools/types.js';
import { readTraceFile } from '../trace/reader.js';
import { scoreCase, type CaseScore } from '../score/case-score.js';
import { aggregate, type RunScores } from '../score/aggregate.js';
import type { CaseResult } from './case-runner.js';

export interface ScoredRun {
  /** Per case id, one score per attempt (in attempt order). */
  perCase: Map<string, CaseScore[]>;
  scores: RunScores;
}

export async function scoreResult(plan: RuntimePlan, kase: EvalCase, r: CaseResult): Promise<CaseScore> {
  const { events } = await readTraceFile(r.traceFile);
  const state = JSON.parse(await fs.readFile(r.stateFile, 'utf8')) as { initial: FixtureData; final: FixtureData };
  return scoreCase({ case: kase, events, initialState: state.initial, finalState: state.final, plan });
}

export async function scoreRun(plan: RuntimePlan, cases: EvalCase[], results: CaseResult[]): Promise<ScoredRun> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const perCase = new Map<string, CaseScore[]>();
  const ordered = [...results].sort((a, b) => a.caseId.localeCompare(b.caseId) || a.attempt - b.attempt);
  for (const r of ordered) {
    const kase = byId.get(r.caseId);
    if (!kase) continue;
    const s = await scoreResult(plan, kase, r);
    const list = perCase.get(r.caseId) ?? [];
    list.push(s);
    perCase.set(r.caseId, list);
  }
  return { perCase, scores: aggregate([...perCase.values()]) };
}
