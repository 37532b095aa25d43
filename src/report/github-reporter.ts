// GitHub Actions workflow commands: an ::error per failing case and failed gate, a ::warning per infra error.
import type { EvalReport } from './registry.js';
import { failureSummary, orderedScores } from './score-lines.js';

// Workflow-command data must escape %, CR and LF; properties also escape : and ,.
const data = (t: string) => t.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (t: string) => data(t).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubReport(r: EvalReport): string {
  const lines: string[] = [];
  const evalDir = r.plan.evals?.path;
  for (const s of orderedScores(r.perCase)) {
    if (s.status === 'pass') continue;
    const file = evalDir ? `,file=${prop(`${evalDir.replace(/^\.\.\//, '')}/${s.case_id}.yaml`)}` : '';
    const level = s.status === 'infra_error' ? 'warning' : 'error';
    lines.push(`::${level} title=${prop(`agentrt case ${s.case_id}`)}${file}::${data(failureSummary(s))}`);
  }
  for (const g of r.gates.results) {
    if (!g.passed) lines.push(`::error title=${prop('agentrt gate failed')}::${data(`${g.gate} (actual ${g.actual ?? 'n/a'})`)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
