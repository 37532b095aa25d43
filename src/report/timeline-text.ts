// Renders a case timeline for the terminal. Long values fold to one line unless `full` is set, so a business
// owner can read the story and an engineer can still ask for everything.
import type { CaseTimeline, StepKind } from '../trace/timeline.js';

const ICON: Record<StepKind, string> = {
  input: '▶',
  model: '◆',
  read: '·',
  write: '✎',
  denied: '⊘',
  approval: '?',
  control: '⏸',
  fault: '⚡',
  limit: '⏱',
  stop_rule: '■',
  escalation: '⇪',
  violation: '!',
  error: '✗',
  output: '◀',
  end: '■',
};

export interface RenderOptions {
  full?: boolean;
  /** Max characters for one folded value. */
  width?: number;
}

export function fold(value: unknown, full: boolean, width: number): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return 'undefined';
  if (full) return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}… (+${oneLine.length - width + 1} chars, --full)` : oneLine;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

export function renderTimeline(tl: CaseTimeline, opts: RenderOptions = {}): string {
  const full = opts.full ?? false;
  const width = opts.width ?? 110;
  const lines: string[] = [];
  lines.push(`Case ${tl.caseId}${tl.title ? ` — ${tl.title}` : ''}   (run ${tl.runId})`);
  for (const s of tl.steps) {
    const extra = [s.latency_ms !== undefined ? `${s.latency_ms}ms` : '', s.cost_usd ? `$${s.cost_usd.toFixed(5)}` : '']
      .filter(Boolean)
      .join(' ');
    lines.push(`  ${seconds(s.t_ms).padStart(7)} ${ICON[s.kind]} ${s.title}${extra ? `  [${extra}]` : ''}`);
    for (const [label, value] of s.details) {
      const rendered = fold(value, full, width);
      const indented = rendered.split('\n').join('\n' + ' '.repeat(14));
      lines.push(`            ${label}: ${indented}`);
    }
  }
  lines.push('');
  if (tl.changes.length) {
    lines.push('  What it changed:');
    for (const d of tl.changes) lines.push(`    ${d.op.padEnd(6)} ${d.record}`);
  } else {
    lines.push('  What it changed: nothing');
  }
  if (tl.finalReply !== undefined) lines.push(`  Reply to customer: ${fold(tl.finalReply, full, width)}`);
  if (tl.incomplete) {
    lines.push('  Stop: the trace ends without case.end — the run crashed or is still running');
  } else if (tl.stop) {
    lines.push(`  Stop: ${tl.stop.reason}${tl.stop.detail ? ` — ${tl.stop.detail}` : ''}`);
  }
  const u = tl.usage;
  const tokens = u ? `${u.input_tokens} in / ${u.output_tokens} out${u.cache_read_tokens ? ` / ${u.cache_read_tokens} cached` : ''}` : 'n/a';
  lines.push(`  Cost: $${tl.costUsd.toFixed(5)}  tokens: ${tokens}  time: ${seconds(tl.durationMs)}`);
  return lines.join('\n') + '\n';
}
