import { beforeAll, describe, expect, it } from 'vitest';
import { builtinTools } from './registry.js';
import { applyUndo, planUndo, type RecordedCall } from './undo.js';
import { applyOverrides, hashFixtures } from './fixture-store.js';
import type { FixtureData, ToolContext, ToolImpl } from './types.js';
import { contextFor, supportDeskData } from '../test-helpers/fixtures.js';

const tools = builtinTools();
const clock = { runId: 'run-test', caseId: 'case-test', now: () => new Date('2026-11-26T08:00:00Z') };
const SUMMARY = 'Juniper Labs (ACC-1010) export bug ENG-301 still blocks them; needs an engineering ETA.';

let data: FixtureData;
beforeAll(async () => {
  // T-2000 is seeded the way the engine seeds a case ticket: no `draft` field at all, so an undo must remove it.
  data = applyOverrides(await supportDeskData(), { tickets: { tickets: [{ id: 'T-2000', subject: 's', body: 'b', status: 'open', priority: 'normal', notes: [] }] } });
});

/** Runs a call the way the gateway does and returns it as the trace records it (JSON, as read back from disk). */
async function record(ctx: ToolContext, tool: string, args: Record<string, unknown>): Promise<RecordedCall> {
  const n = ctx.store.diffs().length;
  const result = await tools.get(tool)!.run(args, ctx);
  return JSON.parse(JSON.stringify({ tool, args, result, diff: ctx.store.diffs().slice(n), callId: ctx.callId })) as RecordedCall;
}

type Step = [string, Record<string, unknown>];
// Every reversible built-in, with the calls (if any) that set up the state it acts on.
const REVERSIBLE: Array<[string, Record<string, unknown>, Step[]]> = [
  ['tickets.add_internal_note', { ticket_id: 'T-0951', note: 'Checked ENG-301' }, []],
  ['tickets.remove_internal_note', { ticket_id: 'T-0950', note_id: 'NOTE-setup1' }, [['tickets.add_internal_note', { ticket_id: 'T-0950', note: 'first' }], ['tickets.add_internal_note', { ticket_id: 'T-0950', note: 'second' }]]],
  ['tickets.set_priority', { ticket_id: 'T-0951', priority: 'urgent' }, []],
  ['tickets.draft_reply', { ticket_id: 'T-2000', body: 'Hello' }, []],
  ['tickets.draft_reply', { ticket_id: 'T-0951', body: 'Better reply' }, [['tickets.draft_reply', { ticket_id: 'T-0951', body: 'First reply' }]]],
  ['tickets.discard_draft', { ticket_id: 'T-0951' }, [['tickets.draft_reply', { ticket_id: 'T-0951', body: 'Draft' }]]],
  ['tasks.create_internal', { title: 'Merge Acme', description: 'ACC-1005 duplicates ACC-1004', team: 'success' }, []],
  ['tasks.cancel_internal', { task_id: 'TASK-setup1' }, [['tasks.create_internal', { title: 'One', description: 'first task', team: 'billing' }], ['tasks.create_internal', { title: 'Two', description: 'second task', team: 'legal' }]]],
  ['eng.create_issue', { title: 'Webhook retries stop', body: 'Retries stop after 3 tries.', severity: 'high' }, []],
  ['eng.close_issue', { issue_id: 'ENG-302', resolution: 'fixed' }, []],
  ['eng.close_issue', { issue_id: 'ENG-setup1', resolution: 'filed_in_error' }, [['eng.create_issue', { title: 'Filed by mistake', body: 'Wrong ticket entirely.', severity: 'low' }], ['eng.create_issue', { title: 'Second filing', body: 'Another issue body.', severity: 'low' }]]],
  ['handoff.escalate', { reason: 'tool_failure', summary: SUMMARY, ticket_id: 'T-0951' }, []],
  ['handoff.escalate', { reason: 'missing_data', summary: SUMMARY }, []],
  ['handoff.withdraw', { escalation_id: 'ESC-setup1' }, [['handoff.escalate', { reason: 'other', summary: SUMMARY, ticket_id: 'T-0950' }], ['handoff.escalate', { reason: 'other', summary: SUMMARY }]]],
];

describe('undo restores the exact prior state', () => {
  it('covers every reversible built-in tool', () => {
    const reversible = [...tools.values()].filter((t) => t.risk === 'reversible').map((t) => t.name);
    expect(new Set(REVERSIBLE.map(([name]) => name))).toEqual(new Set(reversible));
  });

  it.each(REVERSIBLE)('%s %j', async (name, args, setup) => {
    const ctx = contextFor(data);
    for (const [i, [tool, a]] of setup.entries()) await tools.get(tool)!.run(a, { ...ctx, callId: `setup${i + 1}` });
    const before = ctx.store.snapshot();
    const call = await record({ ...ctx, callId: 'call_x' }, name, args);
    expect(hashFixtures(ctx.store.snapshot())).not.toBe(hashFixtures(before)); // the call really changed something

    const plan = planUndo([call], tools);
    expect(plan.irreversible).toEqual([]);
    expect(plan.calls.map((c) => c.tool)).toEqual([tools.get(name)!.undo]);
    const outcomes = await applyUndo(ctx.store, tools, plan.calls, clock);
    expect(outcomes.map((o) => o.error ?? 'ok')).toEqual(['ok']);
    // Strict equality and the hash both catch a field left behind as `undefined`.
    expect(ctx.store.snapshot()).toStrictEqual(before);
    expect(hashFixtures(ctx.store.snapshot())).toBe(hashFixtures(before));
  });
});

describe('planUndo', () => {
  it('reverses a whole case newest first and lists what stays', async () => {
    const ctx = contextFor(data);
    const original = ctx.store.snapshot();
    const steps: Step[] = [
      ['crm.get_account', { email: 'wei@juniperlabs.example' }],
      ['tickets.add_internal_note', { ticket_id: 'T-0951', note: 'triage' }],
      ['tickets.set_priority', { ticket_id: 'T-0951', priority: 'urgent' }],
      ['billing.refund', { invoice_id: 'INV-5007', amount: 10, reason: 'goodwill' }],
      ['tickets.draft_reply', { ticket_id: 'T-0951', body: 'We refunded $10.' }],
      ['handoff.escalate', { reason: 'other', summary: SUMMARY, ticket_id: 'T-0951' }],
    ];
    const calls: RecordedCall[] = [];
    for (const [i, [tool, args]] of steps.entries()) calls.push(await record({ ...ctx, callId: `c${i}` }, tool, args));
    const plan = planUndo(calls, tools);
    expect(plan.calls.map((c) => [c.tool, c.reverses.callId])).toEqual([
      ['handoff.withdraw', 'c5'],
      ['tickets.discard_draft', 'c4'],
      ['tickets.set_priority', 'c2'],
      ['tickets.remove_internal_note', 'c1'],
    ]);
    expect(plan.irreversible).toEqual([{ tool: 'billing.refund', callId: 'c3', records: ['billing.refunds.REF-c3', 'billing.invoices.INV-5007'], why: 'billing.refund is irreversible' }]);

    const outcomes = await applyUndo(ctx.store, tools, plan.calls, clock);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const after = ctx.store.snapshot();
    expect(after.tickets).toStrictEqual(original.tickets);
    expect(after.handoff).toStrictEqual(original.handoff);
    expect(after.billing!.refunds!.map((r) => r.id)).toEqual(['REF-c3']); // the refund stays: money went out
  });

  it('says why a change cannot be undone', () => {
    const diff = [{ record: 'x.y.1', op: 'update' as const, before: {}, after: {} }];
    const custom = (over: Partial<ToolImpl>): ToolImpl => ({ name: 'custom.do', system: 'x', description: 'd', input: { type: 'object' }, risk: 'reversible', run: () => null, ...over });
    const withTools = (...extra: ToolImpl[]) => new Map([...tools, ...extra.map((t) => [t.name, t] as const)]);
    const why = (t: Map<string, ToolImpl>, tool = 'custom.do') => planUndo([{ tool, args: {}, result: null, diff }], t).irreversible.map((u) => u.why);
    expect(why(tools, 'gone.tool')).toEqual(['"gone.tool" is not a tool of this plan, so its undo is unknown']);
    expect(why(withTools(custom({})))).toEqual(['custom.do names no undo tool']);
    expect(why(withTools(custom({ undo: 'custom.revert' })))).toEqual(['its undo tool custom.revert is not a tool of this plan']);
    expect(why(withTools(custom({ undo: 'kb.search' })))).toEqual(['custom.do cannot build arguments for its undo tool kb.search']);
    const throwing = custom({ undo: 'kb.search', undoArgs: () => { throw new Error('no id in result'); } });
    expect(why(withTools(throwing))).toEqual(['building the arguments of kb.search failed: no id in result']);
    expect(planUndo([{ tool: 'kb.search', args: {}, result: {}, diff: [] }], tools)).toEqual({ calls: [], irreversible: [] });
  });
});

describe('applyUndo', () => {
  it('reports a failing undo and still runs the others', async () => {
    const ctx = contextFor(data);
    const calls = [
      { tool: 'tickets.remove_internal_note', args: { ticket_id: 'T-0951', note_id: 'NOTE-gone' }, reverses: { tool: 'tickets.add_internal_note' }, records: [] },
      { tool: 'tickets.set_priority', args: { ticket_id: 'T-0951', priority: 'sometime' }, reverses: { tool: 'tickets.set_priority' }, records: [] },
      { tool: 'nope.tool', args: {}, reverses: { tool: 'x.y' }, records: [] },
      { tool: 'tickets.set_priority', args: { ticket_id: 'T-0951', priority: 'low' }, reverses: { tool: 'tickets.set_priority' }, records: [] },
    ];
    const outcomes = await applyUndo(ctx.store, tools, calls, clock);
    expect(outcomes.map((o) => [o.ok, o.error ?? null])).toEqual([
      [false, 'ticket T-0951 has no note "NOTE-gone"'],
      [false, 'priority: expected one of "low" | "normal" | "high" | "urgent", got "sometime"'],
      [false, 'undo tool nope.tool is not available'],
      [true, null],
    ]);
    expect(outcomes[3]!.diff.map((d) => d.record)).toEqual(['tickets.tickets.T-0951']);
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.priority).toBe('low');
  });
});
