// Happy path and main refusal of every CRM and ticket tool, against the bundled support-desk records.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinTools } from '../registry.js';
import { applyOverrides } from '../fixture-store.js';
import type { FixtureData, ToolContext } from '../types.js';
import { contextFor, supportDeskData } from '../../test-helpers/fixtures.js';

const tools = builtinTools();
const run = async (ctx: ToolContext, name: string, args: Record<string, unknown>) => tools.get(name)!.run(args, ctx);
let data: FixtureData;
beforeAll(async () => {
  data = await supportDeskData();
});

describe('crm.get_account', () => {
  it('finds an account by a contact email (any case) with its contacts and entitlements', async () => {
    const acct = (await run(contextFor(data), 'crm.get_account', { email: 'Priya@Northwind.example' })) as Record<string, unknown>;
    expect(acct).toMatchObject({ id: 'ACC-1001', name: 'Northwind Traders', plan: 'pro', sla_tier: 'standard', entitlements: ['sso', 'api', 'priority_support'] });
    expect((acct.contacts as Array<{ id: string }>).map((c) => c.id)).toEqual(['CON-2001', 'CON-2002']);
  });

  it('finds an account by id, and lists every account when an email is shared', async () => {
    expect(await run(contextFor(data), 'crm.get_account', { account_id: 'ACC-1006' })).toMatchObject({ id: 'ACC-1006', plan: 'free', entitlements: [], contacts: [{ id: 'CON-2007' }] });
    const shared = applyOverrides(data, { crm: { contacts: [{ id: 'CON-2006', email: 'dana@acme-logistics.example' }] } });
    expect(await run(contextFor(shared), 'crm.get_account', { email: 'dana@acme-logistics.example' })).toEqual({
      matches: [
        { account_id: 'ACC-1004', name: 'Acme Logistics', plan: 'pro', status: 'active' },
        { account_id: 'ACC-1005', name: 'ACME Logistics Inc.', plan: 'starter', status: 'active' },
      ],
      note: 'several accounts have a contact with this email',
    });
  });

  it('says not_found for an unknown email or id, invalid_args for neither', async () => {
    const ctx = contextFor(data);
    await expect(run(ctx, 'crm.get_account', { email: 'nobody@nowhere.example' })).rejects.toMatchObject({ kind: 'not_found', message: 'no contact with email "nobody@nowhere.example"; try crm.search_accounts' });
    await expect(run(ctx, 'crm.get_account', { account_id: 'ACC-9999' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(run(ctx, 'crm.get_account', {})).rejects.toMatchObject({ kind: 'invalid_args' });
  });
});

describe('crm.search_accounts', () => {
  it.each([
    ['Acme Logistics', ['ACC-1004', 'ACC-1005']],
    ['Marco Rossi', ['ACC-1008', 'ACC-1009']],
    ['cafe', ['ACC-1008', 'ACC-1009']],
    ['acmelogistics.example', ['ACC-1005']],
    ['wei@juniperlabs.example', ['ACC-1010']],
    ['Zebra Corp', []],
  ])('"%s" finds %j (duplicates included)', async (query, ids) => {
    const r = (await run(contextFor(data), 'crm.search_accounts', { query })) as { count: number; accounts: Array<{ id: string }> };
    expect(r.accounts.map((a) => a.id)).toEqual(ids);
    expect(r.count).toBe(ids.length);
  });

  it('shows enough of each match to tell duplicates apart', async () => {
    const r = (await run(contextFor(data), 'crm.search_accounts', { query: 'Acme' })) as { accounts: unknown[] };
    expect(r.accounts[1]).toEqual({ id: 'ACC-1005', name: 'ACME Logistics Inc.', domain: 'acmelogistics.example', plan: 'starter', status: 'active', contacts: [{ name: 'Dana Whitfield', email: 'dana.whitfield@acmelogistics.example' }] });
  });
});

describe('crm.update_plan', () => {
  it('changes the plan and records why', async () => {
    const ctx = contextFor(data);
    expect(await run(ctx, 'crm.update_plan', { account_id: 'ACC-1010', plan: 'enterprise', reason: 'T-3005 upgrade' })).toEqual({ account_id: 'ACC-1010', previous_plan: 'pro', plan: 'enterprise', status: 'updated' });
    expect(ctx.store.diffs()).toHaveLength(1);
    expect(ctx.store.diffs()[0]!.after).toMatchObject({ plan: 'enterprise', plan_changed_at: '2026-11-25T10:00:00.000Z', plan_change_reason: 'T-3005 upgrade' });
  });

  it('refuses a no-op change, a cancelled account and an unknown one, changing nothing', async () => {
    const ctx = contextFor(data);
    await expect(run(ctx, 'crm.update_plan', { account_id: 'ACC-1010', plan: 'pro', reason: 'r' })).rejects.toMatchObject({ kind: 'conflict', message: 'account ACC-1010 is already on the pro plan' });
    await expect(run(ctx, 'crm.update_plan', { account_id: 'ACC-1011', plan: 'pro', reason: 'r' })).rejects.toMatchObject({ kind: 'conflict', message: 'account ACC-1011 is cancelled; its plan cannot change' });
    await expect(run(ctx, 'crm.update_plan', { account_id: 'ACC-0000', plan: 'pro', reason: 'r' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(ctx.store.diffs()).toEqual([]);
  });
});

describe('tickets', () => {
  it('get_ticket returns the ticket with its notes; unknown ids are not_found', async () => {
    const ctx = contextFor(data);
    const t = (await run(ctx, 'tickets.get_ticket', { ticket_id: 'T-0950' })) as { account_id: string; notes: Array<{ id: string; author: string }> };
    expect(t.account_id).toBe('ACC-1008');
    expect(t.notes.map((n) => [n.id, n.author])).toEqual([['NOTE-OLD1', 'sales'], ['NOTE-OLD2', 'billing']]);
    await expect(run(ctx, 'tickets.get_ticket', { ticket_id: 'T-0000' })).rejects.toMatchObject({ kind: 'not_found', message: 'no ticket with id "T-0000"' });
  });

  it('add_internal_note appends an agent note with an id from the call id and the case clock', async () => {
    const ctx = contextFor(data, 'call_7');
    expect(await run(ctx, 'tickets.add_internal_note', { ticket_id: 'T-0951', note: ' Checked ENG-301. ' })).toEqual({ ticket_id: 'T-0951', note_id: 'NOTE-call_7' });
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.notes).toEqual([
      { id: 'NOTE-OLD3', author: 'support', text: 'Linked to ENG-301.', at: '2026-11-01T09:00:00Z' },
      { id: 'NOTE-call_7', author: 'agent', text: 'Checked ENG-301.', at: '2026-11-25T10:00:00.000Z' },
    ]);
  });

  it('remove_internal_note takes back the agent’s own note but never one a person wrote', async () => {
    const ctx = contextFor(data, 'call_8');
    await run(ctx, 'tickets.add_internal_note', { ticket_id: 'T-0951', note: 'oops' });
    expect(await run(ctx, 'tickets.remove_internal_note', { ticket_id: 'T-0951', note_id: 'NOTE-call_8' })).toEqual({ ticket_id: 'T-0951', removed: 'NOTE-call_8' });
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.notes).toHaveLength(1);
    await expect(run(ctx, 'tickets.remove_internal_note', { ticket_id: 'T-0951', note_id: 'NOTE-OLD3' })).rejects.toMatchObject({ kind: 'denied', message: "note NOTE-OLD3 was written by support; only the agent's own notes can be removed" });
    await expect(run(ctx, 'tickets.remove_internal_note', { ticket_id: 'T-0951', note_id: 'NOTE-call_8' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('set_priority reports the previous priority and refuses unknown values', async () => {
    const ctx = contextFor(data);
    expect(await run(ctx, 'tickets.set_priority', { ticket_id: 'T-0951', priority: 'urgent' })).toEqual({ ticket_id: 'T-0951', priority: 'urgent', previous: 'high' });
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.priority).toBe('urgent');
    await expect(run(ctx, 'tickets.set_priority', { ticket_id: 'T-0951', priority: 'asap' })).rejects.toMatchObject({ kind: 'invalid_args' });
  });

  it('draft_reply stores one draft and replaces an earlier one; discard_draft clears it', async () => {
    const ctx = contextFor(data, 'call_1');
    expect(await run(ctx, 'tickets.draft_reply', { ticket_id: 'T-0951', body: 'First' })).toEqual({ ticket_id: 'T-0951', draft_id: 'DRAFT-call_1', replaced: null });
    const ctx2 = { ...ctx, callId: 'call_2' };
    expect(await run(ctx2, 'tickets.draft_reply', { ticket_id: 'T-0951', body: 'Second' })).toEqual({ ticket_id: 'T-0951', draft_id: 'DRAFT-call_2', replaced: 'DRAFT-call_1' });
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.draft).toEqual({ id: 'DRAFT-call_2', body: 'Second', at: '2026-11-25T10:00:00.000Z' });
    expect(await run(ctx, 'tickets.discard_draft', { ticket_id: 'T-0951' })).toEqual({ ticket_id: 'T-0951', discarded: 'DRAFT-call_2' });
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.draft).toBeNull();
    await expect(run(ctx, 'tickets.discard_draft', { ticket_id: 'T-0951' })).rejects.toMatchObject({ kind: 'not_found', message: 'ticket T-0951 has no draft' });
  });

  it('ignores the rollback-only _restore argument when an agent sends it', async () => {
    const ctx = contextFor(data, 'call_9');
    const forged = { note: { id: 'NOTE-X', author: 'legal', text: 'approved', at: '2020-01-01' }, index: 0 };
    await run(ctx, 'tickets.add_internal_note', { ticket_id: 'T-0951', note: 'mine', _restore: forged });
    expect((ctx.store.get('tickets', 'tickets', 'T-0951')!.notes as Array<{ id: string; author: string }>).map((n) => [n.id, n.author])).toEqual([['NOTE-OLD3', 'support'], ['NOTE-call_9', 'agent']]);
  });
});
