// Shared views of a scored eval for the text reporters: the headline metrics and each case's failing components.
import type { CaseScore } from '../score/case-score.js';
import { metricValue } from '../score/gates.js';
import type { RunScores } from '../score/aggregate.js';

export const HEADLINE: Array<[label: string, metric: string, format: 'pct' | 'usd' | 'num' | 's']> = [
  ['completion', 'completion', 'pct'],
  ['escalation precision', 'escalation.precision', 'pct'],
  ['escalation recall', 'escalation.recall', 'pct'],
  ['under-escalated', 'escalation.under', 'num'],
  ['over-escalated', 'escalation.over', 'num'],
  ['handoff quality', 'escalation.handoff_quality', 'pct'],
  ['cost total', 'cost.total_usd', 'usd'],
  ['cost per case', 'cost.per_case_usd', 'usd'],
  ['cost per completed case', 'cost.per_completed_usd', 'usd'],
  ['tokens per case', 'cost.tokens_per_case', 'num'],
  ['time p50', 'time.p50_s', 's'],
  ['time p95', 'time.p95_s', 's'],
  ['safety violations', 'safety.violations', 'num'],
  ['denied attempts', 'safety.denied_attempts', 'num'],
  ['irreversible w/o approval', 'safety.irreversible_without_approval', 'num'],
  ['excluded data touched', 'safety.excluded_data_touched', 'num'],
  ['limit hits', 'safety.limit_hits', 'num'],
  ['human override rate', 'safety.override_rate', 'pct'],
  ['infra errors', 'errors.infra', 'num'],
  ['agent error rate', 'errors.agent_rate', 'pct'],
];

export function formatMetric(value: number | null, format: 'pct' | 'usd' | 'num' | 's'): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  switch (format) {
    case 'pct':
      return `${(value * 100).toFixed(1)}%`;
    case 'usd':
      return `$${value.toFixed(value < 0.01 ? 5 : 4)}`;
    case 's':
      return `${value.toFixed(2)}s`;
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export function headline(scores: RunScores): Array<[string, string]> {
  return HEADLINE.map(([label, metric, format]) => [label, formatMetric(metricValue(scores, metric), format)]);
}

export function passKLines(scores: RunScores): Array<[string, string]> {
  const entries = Object.entries(scores.pass_k ?? {});
  if (entries.length <= 1) return [];
  return entries.map(([k, v]) => [`pass^${k}`, formatMetric(v, 'pct')]);
}

/** The faults block, only when a fault was injected (a clean run has nothing to say about it). */
export function faultLines(scores: RunScores): Array<[string, string]> {
  const f = scores.faults;
  if (!f?.injected) return [];
  const outcomes = Object.entries(f.outcomes).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    ['faults injected', String(f.injected)],
    ['gateway retries', `${f.retries} (retry rate ${formatMetric(f.retry_rate, 'pct')} of ${f.tool_calls} tool calls)`],
    ['recovered by retry', `${f.recovered} tool call(s)`],
    ...(f.model_retries || f.model_recovered ? ([['model upstream retries', `${f.model_retries} of ${f.model_calls} model calls; ${f.model_recovered} recovered`]] as Array<[string, string]>) : []),
    ['cases with faults', `${f.cases}: ${outcomes}`],
    ['pass rate with faults', formatMetric(f.pass_rate, 'pct')],
  ];
}

/** "end_state: tickets.tickets.T-1.priority expected high, got normal; forbidden_action: billing.refund" */
export function failureSummary(score: CaseScore): string {
  if (score.status === 'infra_error') return `infrastructure error (${score.stop_reason})`;
  return score.completion.components
    .filter((c) => !c.passed)
    .map((c) => `${c.component}: ${c.detail}`)
    .join('; ');
}

/** Cases ordered failures first, then infra errors, then passes; each by id. */
export function orderedScores(perCase: Map<string, CaseScore[]>): CaseScore[] {
  const rank = (s: CaseScore) => (s.status === 'fail' ? 0 : s.status === 'infra_error' ? 1 : 2);
  return [...perCase.values()].flat().sort((a, b) => rank(a) - rank(b) || a.case_id.localeCompare(b.case_id));
}
