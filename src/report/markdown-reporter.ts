// Markdown for $GITHUB_STEP_SUMMARY: verdict, score table, gates, failing cases with their failing components.
import type { EvalReport } from './registry.js';
import { failureSummary, faultLines, headline, orderedScores, passKLines } from './score-lines.js';

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(r: EvalReport): string {
  const scores = orderedScores(r.perCase);
  const passed = scores.filter((s) => s.status === 'pass').length;
  const lines = [
    `## agentrt eval — ${cell(r.plan.name)} ${r.gates.passed ? '✅ gates passed' : '❌ gates failed'}`,
    '',
    `${passed}/${scores.length} cases passed · model \`${r.header.model.provider}/${r.header.model.name}\` · run \`${r.runId}\``,
    '',
    '| metric | value |',
    '|---|---|',
    ...[...headline(r.scores), ...passKLines(r.scores)].map(([k, v]) => `| ${k} | ${v} |`),
  ];
  const faults = faultLines(r.scores);
  if (faults.length) lines.push('', '| faults | |', '|---|---|', ...faults.map(([k, v]) => `| ${k} | ${cell(v)} |`));
  if (r.gates.results.length) {
    lines.push('', '| gate | actual | result |', '|---|---|---|');
    for (const g of r.gates.results) lines.push(`| \`${cell(g.gate)}\` | ${g.actual ?? 'n/a'} | ${g.passed ? 'pass' : '**fail**'} |`);
  }
  const failing = scores.filter((s) => s.status !== 'pass');
  if (failing.length) {
    lines.push('', '<details><summary>Failing cases</summary>', '', '| case | stop | failing component |', '|---|---|---|');
    for (const s of failing) lines.push(`| ${cell(s.case_id)} | ${s.stop_reason} | ${cell(failureSummary(s))} |`);
    lines.push('', '</details>');
  }
  return lines.join('\n') + '\n';
}
