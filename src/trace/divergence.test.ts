// firstDivergence on hand-written traces: the first differing step, numbered as in the timeline.
import { describe, expect, it } from 'vitest';
import { firstDivergence } from './divergence.js';
import type { TraceEvent } from './events.js';

const model = (error?: string) => ({ type: 'model.call', call_id: 'mc', ...(error ? { error } : {}) }) as unknown as TraceEvent;
const tool = (name: string, result: unknown, extra: Record<string, unknown> = {}) =>
  ({ type: 'tool.call', tool: name, args: { id: 'A-1' }, decision: 'allow', ok: true, result, ...extra }) as unknown as TraceEvent;
const end = (stop: string) => ({ type: 'case.end', stop, detail: '' }) as unknown as TraceEvent;

describe('firstDivergence', () => {
  const recorded = [model(), tool('crm.get_account', { plan: 'pro' }), model(), tool('tickets.set_priority', { ok: 1 }), model(), end('completed')];

  it('is null when every step and the end are the same', () => {
    expect(firstDivergence(recorded, structuredClone(recorded))).toBeNull();
  });

  it('names the first tool step whose result differs, with both sides', () => {
    const now = structuredClone(recorded);
    now[1] = tool('crm.get_account', { plan: 'starter' });
    expect(firstDivergence(recorded, now)).toEqual({
      step: 2,
      kind: 'tool',
      recorded: 'crm.get_account({"id":"A-1"}) [allow] → {"plan":"pro"}',
      now: 'crm.get_account({"id":"A-1"}) [allow] → {"plan":"starter"}',
    });
  });

  it('a decision that changed (now needs approval and was denied) is a divergence at that step', () => {
    const now = structuredClone(recorded);
    now[3] = tool('tickets.set_priority', undefined, { decision: 'needs_approval', ok: false, error: 'approval_denied: denied' });
    expect(firstDivergence(recorded, now)).toMatchObject({ step: 4, kind: 'tool', now: expect.stringContaining('[needs_approval] → error approval_denied') });
  });

  it('a model call that failed under replay, and a run that ended early', () => {
    const failed = [model(), tool('crm.get_account', { plan: 'pro' }), model('replay: diverges at model call 2'), end('agent_error')];
    expect(firstDivergence(recorded, failed)).toMatchObject({ step: 3, kind: 'model', now: 'model call failed: replay: diverges at model call 2' });
    const short = recorded.slice(0, 2).concat(end('limit'));
    expect(firstDivergence(recorded, short)).toMatchObject({ step: 3, kind: 'sequence', now: 'no step: the case ended (limit)' });
  });

  it('the same steps with another stop reason diverge at the end', () => {
    const now = [...recorded.slice(0, -1), end('escalated')];
    expect(firstDivergence(recorded, now)).toEqual({ step: 6, kind: 'end', recorded: 'ended completed', now: 'ended escalated' });
  });
});
