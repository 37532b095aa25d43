// What `run` and `resume` show after cases ran (their timelines), and how a stored eval run's results.json is
// brought up to date when some of its cases were re-driven (resume): scored again from the traces on disk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import { GateFailedError } from '../errors.js';
import type { LoadedPlan } from '../plan/schema.js';
import type { CaseResult } from '../engine/case-runner.js';
import { openStoredRun, pickCases } from '../engine/stored-run.js';
import { recordedCases, resultFromTrace } from '../engine/recorded-cases.js';
import { scoreRun } from '../engine/score-run.js';
import { evaluateGates } from '../score/gates.js';
import { readTraceFile } from '../trace/reader.js';
import { buildTimeline } from '../trace/timeline.js';
import { renderTimeline } from '../report/timeline-text.js';
import { headline } from '../report/score-lines.js';

export async function printCaseTimelines(results: CaseResult[], opts: { json?: boolean; full?: boolean }, io: Io, jsonHeader: Record<string, unknown> = {}): Promise<void> {
  const out: unknown[] = [];
  for (const r of results) {
    const timeline = buildTimeline((await readTraceFile(r.traceFile)).events);
    if (opts.json) out.push({ ...r, timeline });
    else {
      io.out('\n' + renderTimeline(timeline, { full: opts.full ?? false }));
      io.out(`  Trace: ${path.relative(process.cwd(), r.traceFile)}\n`);
    }
  }
  if (opts.json) io.out(JSON.stringify({ ...jsonHeader, cases: out }, null, 2) + '\n');
}

/** Re-scores every case of a stored eval run (only if it has a results.json); 0, or throws when a gate fails. */
export async function rescoreStoredRun(runId: string, runsDir: string | undefined, loaded: LoadedPlan, io: Io): Promise<number> {
  const run = await openStoredRun(runId, runsDir);
  const file = path.join(run.runDir, 'results.json');
  const exists = await fs.access(file).then(() => true, () => false);
  if (!exists) return 0;
  const all = await recordedCases(run, loaded, pickCases(run, undefined));
  const results = all.map(resultFromTrace).filter((r): r is CaseResult => !!r);
  const scored = await scoreRun(loaded.plan, [...new Map(all.map((c) => [c.kase.id, c.kase])).values()], results);
  const gates = evaluateGates(loaded.plan.gates, [], scored.scores);
  await fs.writeFile(file, JSON.stringify({ run_id: run.runId, header: run.header, scores: scored.scores, gates, cases: [...scored.perCase.values()].flat() }, null, 2));
  io.out(`\nScores of run ${run.runId}, all ${results.length} case(s):\n`);
  for (const [label, value] of headline(scored.scores).slice(0, 6)) io.out(`  ${label.padEnd(26)} ${value}\n`);
  if (!gates.passed) throw new GateFailedError(`${gates.results.filter((g) => !g.passed).length} gate(s) failed`, gates.results.filter((g) => !g.passed).map((g) => `${g.gate}: actual ${g.actual ?? 'n/a'}`));
  return 0;
}
