// The terminal summary: one table row per case (failures first), the score block, pass^k, gates, baseline flips.
import Table from 'cli-table3';
import type { EvalReport } from './registry.js';
import { failureSummary, faultLines, headline, orderedScores, passKLines } from './score-lines.js';

export function defaultReport(r: EvalReport): string {
  const table = new Table({
    head: ['', 'case', 'stop', 'escalated', 'cost $', 'time', 'failing component'],
    style: { head: [], border: [] },
    colWidths: [3, 34, 11, 10, 9, 7, 60],
    wordWrap: true,
  });
  for (const s of orderedScores(r.perCase)) {
    const mark = s.status === 'pass' ? '✓' : s.status === 'fail' ? '✗' : '!';
    table.push([
      mark,
      s.case_id,
      s.stop_reason,
      s.escalation.actual ? (s.escalation.by ?? 'yes') : 'no',
      s.cost.usd.toFixed(5),
      `${(s.time_ms / 1000).toFixed(1)}s`,
      failureSummary(s),
    ]);
  }
  const lines = [table.toString(), '', 'Scores'];
  for (const [label, value] of [...headline(r.scores), ...passKLines(r.scores)]) lines.push(`  ${label.padEnd(28)} ${value}`);
  if (r.scores.flaky?.length) lines.push(`  flaky cases: ${r.scores.flaky.join(', ')}`);
  const faults = faultLines(r.scores);
  if (faults.length) lines.push('', 'Faults', ...faults.map(([label, value]) => `  ${label.padEnd(28)} ${value}`));
  if (r.gates.results.length) {
    lines.push('', 'Gates');
    for (const g of r.gates.results) {
      lines.push(`  ${g.passed ? 'PASS' : 'FAIL'}  ${g.gate.padEnd(40)} actual ${g.actual ?? 'n/a'}${g.reason ? ` (${g.reason})` : ''}`);
    }
  }
  if (r.comparison) {
    lines.push('', 'Compared with baseline');
    for (const f of r.comparison.flips) lines.push(`  ${f.case_id}: ${f.from} → ${f.to}`);
    for (const d of r.comparison.deltas) if (d.delta !== 0 && d.delta !== null) lines.push(`  ${d.metric}: ${d.baseline} → ${d.current} (${d.delta > 0 ? '+' : ''}${d.delta})`);
  }
  lines.push('', `Run ${r.runId}: traces in ${r.runDir}`, `  replay a case: agentrt replay ${r.runId} --case <id>`, '');
  return lines.join('\n');
}
