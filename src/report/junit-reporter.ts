// JUnit XML: one <testcase> per case attempt; a failed case is a <failure> naming the failing components, an
// infrastructure error is an <error> (so CI dashboards keep the two apart, like the scores do).
import type { EvalReport } from './registry.js';
import { failureSummary, orderedScores } from './score-lines.js';

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

export function junitReport(r: EvalReport): string {
  const scores = orderedScores(r.perCase);
  const failures = scores.filter((s) => s.status === 'fail').length;
  const errors = scores.filter((s) => s.status === 'infra_error').length;
  const time = scores.reduce((t, s) => t + s.time_ms, 0) / 1000;
  const suite = xmlEscape(r.plan.name);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="agentrt" tests="${scores.length}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">`,
    `  <testsuite name="${suite}" tests="${scores.length}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">`,
  ];
  for (const s of scores) {
    const name = xmlEscape(s.case_id);
    out.push(`    <testcase classname="${suite}" name="${name}" time="${(s.time_ms / 1000).toFixed(3)}">`);
    if (s.status === 'fail') {
      const summary = xmlEscape(failureSummary(s));
      out.push(`      <failure message="${summary}" type="completion">${summary}</failure>`);
    } else if (s.status === 'infra_error') {
      out.push(`      <error message="${xmlEscape(failureSummary(s))}" type="infrastructure"/>`);
    }
    out.push(`      <system-out>${xmlEscape(`stop=${s.stop_reason} cost_usd=${s.cost.usd} escalated=${s.escalation.actual}`)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
