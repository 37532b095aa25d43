// Baseline comparison: per-case flips and metric deltas between two scored runs.
import { GATE_METRICS } from '../plan/schema.js';
import type { RunScores } from './aggregate.js';
import type { CaseScore } from './case-score.js';
import { metricValue } from './gates.js';

export interface Flip {
  case_id: string;
  from: 'pass' | 'fail' | 'infra_error' | 'absent';
  to: 'pass' | 'fail' | 'infra_error' | 'absent';
}

const firstStatus = (cases: CaseScore[]) => {
  const m = new Map<string, CaseScore['status']>();
  for (const c of cases) if (!m.has(c.case_id) || c.attempt === 1) m.set(c.case_id, c.status);
  return m;
};

export function compareRuns(baseline: { scores: RunScores; cases: CaseScore[] }, current: { scores: RunScores; cases: CaseScore[] }) {
  const a = firstStatus(baseline.cases);
  const b = firstStatus(current.cases);
  const flips: Flip[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const from = a.get(id) ?? 'absent';
    const to = b.get(id) ?? 'absent';
    if (from !== to) flips.push({ case_id: id, from, to });
  }
  const deltas = GATE_METRICS.map((metric) => {
    const before = metricValue(baseline.scores, metric);
    const after = metricValue(current.scores, metric);
    return { metric, baseline: before, current: after, delta: before === null || after === null ? null : Math.round((after - before) * 1e6) / 1e6 };
  });
  return { flips, deltas, regressions: flips.filter((f) => f.from === 'pass' && f.to === 'fail').length };
}
