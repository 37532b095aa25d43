// The cases of a stored run, as the engine needs them to re-drive them (rerun, resume) or score them again: each
// case key's recorded events, its definition (from the plan's eval set, or rebuilt from the recorded ticket for an
// ad-hoc `run --ticket`), and a CaseResult read back from its case.end.
import { evalCase, type EvalCase } from '../plan/case-schema.js';
import type { LoadedPlan } from '../plan/schema.js';
import type { EventOf, TraceEvent } from '../trace/events.js';
import { ZERO_USAGE } from '../trace/events.js';
import { readTraceFile } from '../trace/reader.js';
import type { CaseResult } from './case-runner.js';
import { loadEvalSet } from './load-cases.js';
import type { StoredRun } from './stored-run.js';
import { caseKey } from './run-id.js';

export interface RecordedCase {
  key: string;
  traceFile: string;
  events: TraceEvent[];
  start: EventOf<'case.start'>;
  end: EventOf<'case.end'> | undefined;
  kase: EvalCase;
}

export async function recordedCases(run: StoredRun, loaded: LoadedPlan, pick: Array<[string, string]>): Promise<RecordedCase[]> {
  const set = loaded.plan.evals ? await loadEvalSet(loaded) : [];
  const byId = new Map(set.map((c) => [c.id, c]));
  const out: RecordedCase[] = [];
  for (const [key, traceFile] of pick) {
    const { events } = await readTraceFile(traceFile);
    const start = events.find((e): e is EventOf<'case.start'> => e.type === 'case.start');
    if (!start) continue; // a trace cut before its first line holds nothing to re-drive
    const end = events.find((e): e is EventOf<'case.end'> => e.type === 'case.end');
    const kase =
      byId.get(start.case_id) ??
      evalCase.parse({ id: start.case_id, title: (start.title?.length ?? 0) >= 3 ? start.title : `case ${start.case_id}`, category: 'happy_path', ticket: start.ticket, expect: { escalate: false } });
    out.push({ key, traceFile, events, start, end, kase });
  }
  return out;
}

/** A finished case read back from its trace (for scoring a stored run). */
export function resultFromTrace(rc: RecordedCase): CaseResult | undefined {
  const e = rc.end;
  if (!e) return undefined;
  return {
    caseId: rc.kase.id,
    key: rc.key,
    attempt: rc.start.attempt,
    stop: e.stop,
    detail: e.detail,
    traceFile: rc.traceFile,
    stateFile: rc.traceFile.replace(/\.ndjson$/, '.state.json'),
    usage: e.usage ?? ZERO_USAGE,
    costUsd: e.cost_usd,
    steps: e.steps,
    durationMs: e.duration_ms,
    escalated: e.stop === 'escalated',
  };
}

/** The recorded case clock: tools see the same timestamps when the case is re-driven. */
export const recordedClock = (rc: RecordedCase) => rc.start.clock_ms ?? Date.parse(rc.start.ts);

/** What the engine needs to run exactly these recorded case attempts again: their cases, and the attempts to skip. */
export function redriveSelection(recorded: RecordedCase[]) {
  const byKey = new Map(recorded.map((r) => [r.key, r]));
  const cases = [...new Map(recorded.map((r) => [r.kase.id, r.kase])).values()];
  const repeat = Math.max(...recorded.map((r) => r.start.attempt));
  const skip = new Set<string>();
  for (const c of cases) for (let a = 1; a <= repeat; a++) if (!byKey.has(caseKey(c.id, a))) skip.add(caseKey(c.id, a));
  return { byKey, cases, repeat, skip };
}
