// Where a re-driven case first differs from its recording. Steps are the model and tool calls in order (the same
// steps the step limit counts); a tool call differs when its tool, arguments, decision or result differ, a model
// call when one of the two failed. Pure: it compares two event lists and never approximates.
import { canonicalJson } from '../tools/fixture-store.js';
import type { EventOf, TraceEvent } from './events.js';

type Step = EventOf<'model.call'> | EventOf<'tool.call'>;

export interface Divergence {
  /** 1-based step number, as in the timeline. */
  step: number;
  kind: 'tool' | 'model' | 'sequence' | 'end';
  /** What was recorded at that step, and what happened now, each in one line. */
  recorded: string;
  now: string;
}

const clip = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}…` : s);

function describe(s: Step | undefined, end: EventOf<'case.end'> | undefined): string {
  if (!s) return `no step: the case ended (${end?.stop ?? 'no end recorded'}${end?.detail ? `: ${end.detail}` : ''})`;
  if (s.type === 'model.call') return s.error ? `model call failed: ${clip(s.error)}` : `model call ${s.call_id}`;
  const outcome = s.ok ? `→ ${clip(canonicalJson(s.result ?? null))}` : `→ error ${clip(s.error ?? '')}`;
  return `${s.tool}(${clip(canonicalJson(s.args), 160)}) [${s.decision}] ${outcome}`;
}

function sameStep(a: Step, b: Step): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'model.call' && b.type === 'model.call') return Boolean(a.error) === Boolean(b.error);
  const x = a as EventOf<'tool.call'>;
  const y = b as EventOf<'tool.call'>;
  return (
    x.tool === y.tool &&
    canonicalJson(x.args) === canonicalJson(y.args) &&
    x.decision === y.decision &&
    x.ok === y.ok &&
    canonicalJson(x.result ?? null) === canonicalJson(y.result ?? null) &&
    (x.error ?? '') === (y.error ?? '')
  );
}

const stepsOf = (events: TraceEvent[]) => events.filter((e): e is Step => e.type === 'model.call' || e.type === 'tool.call');
const endOf = (events: TraceEvent[]) => events.find((e): e is EventOf<'case.end'> => e.type === 'case.end');

export function firstDivergence(recorded: TraceEvent[], now: TraceEvent[]): Divergence | null {
  const a = stepsOf(recorded);
  const b = stepsOf(now);
  const endA = endOf(recorded);
  const endB = endOf(now);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x && y && sameStep(x, y)) continue;
    const kind = !x || !y ? 'sequence' : x.type !== y.type ? 'sequence' : x.type === 'tool.call' ? 'tool' : 'model';
    return { step: i + 1, kind, recorded: describe(x, endA), now: describe(y, endB) };
  }
  if (endA?.stop !== endB?.stop) {
    return { step: a.length + 1, kind: 'end', recorded: `ended ${endA?.stop ?? '(no end)'}`, now: `ended ${endB?.stop ?? '(no end)'}` };
  }
  return null;
}
