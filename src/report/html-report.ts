// One static, self-contained HTML file (no server, no network, no external asset): the score summary and each
// case's timeline as collapsible <details>. Drawn from the same timeline model as the terminal view.
import type { CaseTimeline, TimelineStep } from '../trace/timeline.js';

export interface HtmlCase {
  timeline: CaseTimeline;
  verdict?: 'pass' | 'fail' | 'infra_error';
  failing?: string;
}

export interface HtmlReportInput {
  title: string;
  runId: string;
  summary: Array<[string, string]>;
  gates?: Array<{ gate: string; passed: boolean; actual: number | null }>;
  cases: HtmlCase[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const show = (v: unknown) => escapeHtml(typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? 'undefined');

function step(s: TimelineStep): string {
  const details = s.details.map(([label, value]) => `<div class="d"><b>${escapeHtml(label)}</b><pre>${show(value)}</pre></div>`).join('');
  const meta = [s.latency_ms !== undefined ? `${s.latency_ms} ms` : '', s.cost_usd ? `$${s.cost_usd.toFixed(5)}` : ''].filter(Boolean).join(' · ');
  return `<li class="step ${s.kind}"><span class="t">${(s.t_ms / 1000).toFixed(2)}s</span> <span class="k">${s.kind}</span> ${escapeHtml(s.title)}${
    meta ? ` <span class="m">${meta}</span>` : ''
  }${details ? `<details class="sd"><summary>details</summary>${details}</details>` : ''}</li>`;
}

function caseBlock(c: HtmlCase): string {
  const tl = c.timeline;
  const verdict = c.verdict ?? (tl.stop?.reason ?? 'unknown');
  const changes = tl.changes.length ? tl.changes.map((d) => `<li>${d.op} <code>${escapeHtml(d.record)}</code></li>`).join('') : '<li>nothing</li>';
  return `<details class="case ${c.verdict ?? ''}" data-case="${escapeHtml(tl.caseId)}">
<summary><span class="v">${escapeHtml(verdict)}</span> <b>${escapeHtml(tl.caseId)}</b> ${escapeHtml(tl.title ?? '')} <span class="m">${escapeHtml(
    tl.stop?.reason ?? 'incomplete',
  )} · $${tl.costUsd.toFixed(5)} · ${(tl.durationMs / 1000).toFixed(2)}s</span></summary>
${c.failing ? `<p class="fail">Failing: ${escapeHtml(c.failing)}</p>` : ''}
<ol class="timeline">${tl.steps.map(step).join('\n')}</ol>
<h4>What it changed</h4><ul>${changes}</ul>
${tl.finalReply !== undefined ? `<h4>Reply to customer</h4><pre>${escapeHtml(tl.finalReply)}</pre>` : ''}
<p class="stop">Stop: ${escapeHtml(tl.stop ? `${tl.stop.reason}${tl.stop.detail ? ` — ${tl.stop.detail}` : ''}` : 'trace ends without case.end')}</p>
</details>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
details.case{border:1px solid #ccc;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}details.case>summary{cursor:pointer}
details.case.pass .v{color:#137333}details.case.fail .v{color:#c5221f}details.case.infra_error .v{color:#b06000}
.v{font-weight:bold;text-transform:uppercase;font-size:.8rem}.m{color:#666;font-size:.85rem}.t{color:#888;font-family:monospace}
.k{display:inline-block;min-width:5.5rem;font-size:.75rem;color:#555;text-transform:uppercase}
.step.denied,.step.violation,.step.error{color:#c5221f}.step.escalation{color:#1a56db}.step.limit,.step.fault{color:#b06000}
pre{background:#f6f8fa;padding:.4rem;overflow:auto;max-height:24rem;white-space:pre-wrap}.fail{color:#c5221f}
ol.timeline{padding-left:1.2rem}`;

export function renderHtmlReport(input: HtmlReportInput): string {
  const summary = input.summary.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const gates = input.gates?.length
    ? `<h2>Gates</h2><table>${input.gates
        .map((g) => `<tr><td><code>${escapeHtml(g.gate)}</code></td><td>${g.actual ?? 'n/a'}</td><td>${g.passed ? 'pass' : '<b class="fail">fail</b>'}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(input.title)}</title><style>${CSS}</style></head>
<body><h1>${escapeHtml(input.title)}</h1><p class="m">run ${escapeHtml(input.runId)}</p>
<h2>Scores</h2><table>${summary}</table>${gates}
<h2>Cases (${input.cases.length})</h2>
${input.cases.map(caseBlock).join('\n')}
</body></html>
`;
}
