import { describe, expect, it } from 'vitest';
import { builtinTools, validateArgs } from './registry.js';
import { createFixtureStore, applyOverrides, hashFixtures } from './fixture-store.js';
import { ToolError, type ToolContext } from './types.js';
import { contextFor, supportDeskData } from '../test-helpers/fixtures.js';

const tools = builtinTools();
const run = async (name: string, args: Record<string, unknown>, ctx: ToolContext) => tools.get(name)!.run(args, ctx);

describe('fixture store', () => {
  it('records a before/after diff for every write and isolates snapshots', () => {
    const store = createFixtureStore({ crm: { accounts: [{ id: 'A', plan: 'pro' }] } });
    const diff = store.update('crm', 'accounts', 'A', { plan: 'enterprise' });
    expect(diff).toEqual({ record: 'crm.accounts.A', op: 'update', before: { id: 'A', plan: 'pro' }, after: { id: 'A', plan: 'enterprise' } });
    const snap = store.snapshot();
    (snap.crm!.accounts![0] as { plan: string }).plan = 'hacked';
    expect(store.get('crm', 'accounts', 'A')?.plan).toBe('enterprise');
    expect(store.diffs()).toHaveLength(1);
    expect(() => store.update('crm', 'accounts', 'nope', {})).toThrow(ToolError);
  });

  it('applies case overrides by id, including deletes, without touching the base', () => {
    const base = { kb: { articles: [{ id: 'K1', title: 'a' }, { id: 'K2', title: 'b' }] } };
    const out = applyOverrides(base, { kb: { articles: [{ id: 'K1', title: 'A!' }, { id: 'K2', _delete: true }, { id: 'K3', title: 'c' }] } });
    expect(out.kb!.articles!.map((a) => [a.id, a.title])).toEqual([['K1', 'A!'], ['K3', 'c']]);
    expect(base.kb.articles).toHaveLength(2);
    expect(hashFixtures(out)).not.toBe(hashFixtures(base));
  });
});

describe('built-in tools', () => {
  it('has at least 12 tools across all three risk classes', () => {
    expect(tools.size).toBeGreaterThanOrEqual(12);
    expect(new Set([...tools.values()].map((t) => t.risk))).toEqual(new Set(['read', 'reversible', 'irreversible']));
  });

  it('crm.get_account finds an account by contact email; search surfaces duplicates', async () => {
    const ctx = contextFor(await supportDeskData());
    const acct = (await run('crm.get_account', { email: 'priya@northwind.example' }, ctx)) as { id: string; contacts: unknown[] };
    expect(acct.id).toBe('ACC-1001');
    expect(acct.contacts).toHaveLength(2);
    const found = (await run('crm.search_accounts', { query: 'Acme Logistics' }, ctx)) as { count: number };
    expect(found.count).toBe(2);
    await expect(run('crm.get_account', { email: 'nobody@nowhere.example' }, ctx)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('billing.refund refuses more than is refundable and records the refund', async () => {
    const ctx = contextFor(await supportDeskData());
    await expect(run('billing.refund', { invoice_id: 'INV-5003', amount: 50, reason: 'x' }, ctx)).rejects.toMatchObject({ kind: 'conflict' });
    const r = (await run('billing.refund', { invoice_id: 'INV-5003', amount: 49, reason: 'duplicate' }, ctx)) as { refund_id: string };
    expect(ctx.store.get('billing', 'refunds', r.refund_id)?.amount).toBe(49);
    expect(ctx.store.get('billing', 'invoices', 'INV-5003')?.refunded_amount).toBe(49);
    await expect(run('billing.refund', { invoice_id: 'INV-5006', amount: 1, reason: 'x' }, ctx)).rejects.toMatchObject({ kind: 'conflict' });
  });

  // Every reversible tool, run and then undone with its undo tool and undoArgs, leaves the records exactly as before.
  const REVERSIBLE: Array<[string, Record<string, unknown>]> = [
    ['tickets.add_internal_note', { ticket_id: 'T-0951', note: 'checking' }],
    ['tickets.remove_internal_note', { ticket_id: 'T-0951', note_id: 'NOTE-OLD3' }],
    ['tickets.set_priority', { ticket_id: 'T-0951', priority: 'urgent' }],
    ['tickets.draft_reply', { ticket_id: 'T-0951', body: 'Hello' }],
    ['tasks.create_internal', { title: 't', description: 'd', team: 'billing' }],
    ['eng.create_issue', { title: 't', body: 'b', severity: 'low' }],
    ['handoff.escalate', { reason: 'legal', summary: 'A summary that is long enough to act on.', ticket_id: 'T-0951' }],
  ];
  it.each(REVERSIBLE)('%s is reversed exactly by its undo', async (name, args) => {
    const ctx = contextFor(await supportDeskData());
    const before = ctx.store.snapshot();
    const tool = tools.get(name)!;
    const n = ctx.store.diffs().length;
    const result = await tool.run(args, ctx);
    const diff = ctx.store.diffs().slice(n);
    expect(diff.length).toBeGreaterThan(0);
    const undo = tools.get(tool.undo!)!;
    await undo.run(tool.undoArgs!(args, result, diff), { ...ctx, callId: 'call_undo' });
    const after = ctx.store.snapshot();
    if (name === 'eng.create_issue') {
      // Issues are closed, never deleted: the filed issue stays on record, closed.
      const created = after.eng!.issues!.pop()!;
      expect(created.status).toBe('closed');
    }
    expect(after).toEqual(before);
  });
});

describe('validateArgs', () => {
  const schema = tools.get('billing.refund')!.input;
  it('accepts valid arguments', () => expect(validateArgs(schema, { invoice_id: 'I', amount: 5, reason: 'r' })).toEqual([]));
  it('names wrong types, missing and unknown arguments', () => {
    const errors = validateArgs(schema, { invoice_id: 'I', amount: '12', extra: 1 });
    expect(errors.sort()).toEqual(['amount: expected number, got "12"', 'extra: unknown argument (allowed: invoice_id, amount, reason)', 'reason: required']);
  });
  it('checks enums and ranges', () => {
    expect(validateArgs(tools.get('tickets.set_priority')!.input, { ticket_id: 'T', priority: 'now' })[0]).toMatch(/expected one of "low" \| "normal" \| "high" \| "urgent"/);
    expect(validateArgs(schema, { invoice_id: 'I', amount: 0, reason: 'r' })[0]).toMatch(/must be ≥ 0.01/);
  });
});
