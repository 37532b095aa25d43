// Happy path and main refusal of the knowledge-base, billing, email, engineering, task and handoff tools.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinTools } from '../registry.js';
import type { FixtureData, ToolContext } from '../types.js';
import { contextFor, supportDeskData } from '../../test-helpers/fixtures.js';

const tools = builtinTools();
const run = async (ctx: ToolContext, name: string, args: Record<string, unknown>) => tools.get(name)!.run(args, ctx);
const AT = '2026-11-25T10:00:00.000Z';
let data: FixtureData;
beforeAll(async () => {
  data = await supportDeskData();
});

describe('kb', () => {
  it('search returns outdated articles marked as such, with what replaced them', async () => {
    const r = (await run(contextFor(data), 'kb.search', { query: 'refund policy' })) as { results: unknown[] };
    expect(r.results.slice(0, 2)).toEqual([
      { id: 'KB-100', title: 'Refund policy (2024)', status: 'outdated', updated_at: '2024-02-01', superseded_by: 'KB-101' },
      { id: 'KB-101', title: 'Refund policy', status: 'current', updated_at: '2026-06-01', superseded_by: null },
    ]);
  });

  it('search ranks by matching words and finds nothing for unrelated words', async () => {
    const r = (await run(contextFor(data), 'kb.search', { query: 'reset password' })) as { results: Array<{ id: string }> };
    expect(r.results[0]!.id).toBe('KB-102');
    expect(await run(contextFor(data), 'kb.search', { query: 'xylophone' })).toEqual({ results: [] });
  });

  it('get_article returns the full article; unknown ids are not_found', async () => {
    expect(await run(contextFor(data), 'kb.get_article', { article_id: 'KB-102' })).toMatchObject({ id: 'KB-102', status: 'current', body: expect.stringContaining("click 'Forgot password'") });
    await expect(run(contextFor(data), 'kb.get_article', { article_id: 'KB-999' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('billing', () => {
  it('get_invoices lists an account’s invoices with what is still refundable', async () => {
    const r = (await run(contextFor(data), 'billing.get_invoices', { account_id: 'ACC-1004' })) as { invoices: Array<Record<string, unknown>>; refunds: unknown[] };
    expect(r.invoices.map((i) => [i.id, i.status, i.refunded_amount, i.refundable])).toEqual([['INV-5011', 'partially_refunded', 100, 399]]);
    expect(r.refunds).toEqual([]);
    const disputed = (await run(contextFor(data), 'billing.get_invoices', { account_id: 'ACC-1009' })) as { invoices: Array<Record<string, unknown>> };
    expect(disputed.invoices.map((i) => [i.id, i.refundable])).toEqual([['INV-5006', 0]]);
    await expect(run(contextFor(data), 'billing.get_invoices', { account_id: 'ACC-0000' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refund creates a refund record, marks the invoice and shows up in get_invoices', async () => {
    const ctx = contextFor(data, 'call_r1');
    expect(await run(ctx, 'billing.refund', { invoice_id: 'INV-5003', amount: 20.5, reason: 'T-3001 duplicate' })).toEqual({ refund_id: 'REF-call_r1', invoice_id: 'INV-5003', amount: 20.5, refundable_left: 28.5, status: 'refunded' });
    expect(ctx.store.get('billing', 'refunds', 'REF-call_r1')).toEqual({ id: 'REF-call_r1', invoice_id: 'INV-5003', account_id: 'ACC-1003', amount: 20.5, currency: 'USD', reason: 'T-3001 duplicate', at: AT });
    expect(ctx.store.get('billing', 'invoices', 'INV-5003')).toMatchObject({ refunded_amount: 20.5, status: 'partially_refunded' });
    await run({ ...ctx, callId: 'call_r2' }, 'billing.refund', { invoice_id: 'INV-5003', amount: 28.5, reason: 'rest' });
    expect(ctx.store.get('billing', 'invoices', 'INV-5003')).toMatchObject({ refunded_amount: 49, status: 'refunded' });
    const listed = (await run(ctx, 'billing.get_invoices', { account_id: 'ACC-1003' })) as { refunds: Array<{ id: string }> };
    expect(listed.refunds.map((r) => r.id)).toEqual(['REF-call_r1', 'REF-call_r2']);
  });

  it.each([
    ['INV-5011', 399.01, 'only 399.00 USD is refundable on INV-5011'],
    ['INV-5006', 1, 'invoice INV-5006 is disputed; only paid invoices can be refunded'],
    ['INV-5009', 1, 'invoice INV-5009 is open; only paid invoices can be refunded'],
  ])('refund of %s for %s is refused: %s', async (invoice_id, amount, message) => {
    const ctx = contextFor(data);
    await expect(run(ctx, 'billing.refund', { invoice_id, amount, reason: 'customer asked' })).rejects.toMatchObject({ kind: 'conflict', message });
    expect(ctx.store.diffs()).toEqual([]);
  });

  it('a fully refunded invoice refuses another refund', async () => {
    const ctx = contextFor(data);
    await run(ctx, 'billing.refund', { invoice_id: 'INV-5004', amount: 49, reason: 'duplicate' });
    await expect(run({ ...ctx, callId: 'c2' }, 'billing.refund', { invoice_id: 'INV-5004', amount: 0.01, reason: 'again' })).rejects.toMatchObject({ kind: 'conflict', message: 'invoice INV-5004 is refunded; only paid invoices can be refunded' });
  });
});

describe('email.send_customer', () => {
  it('puts the message in the outbox', async () => {
    const ctx = contextFor(data, 'call_m');
    expect(await run(ctx, 'email.send_customer', { ticket_id: 'T-0951', to: 'wei@juniperlabs.example', subject: 'Export', body: 'Hi Wei' })).toEqual({ message_id: 'MAIL-call_m', status: 'sent' });
    expect(ctx.store.list('email', 'outbox')).toEqual([{ id: 'MAIL-call_m', ticket_id: 'T-0951', to: 'wei@juniperlabs.example', subject: 'Export', body: 'Hi Wei', sent_at: AT }]);
  });

  it('refuses a malformed address and an unknown ticket', async () => {
    const ctx = contextFor(data);
    await expect(run(ctx, 'email.send_customer', { ticket_id: 'T-0951', to: 'wei at juniper', subject: 's', body: 'b' })).rejects.toMatchObject({ kind: 'invalid_args', message: '"wei at juniper" is not an email address' });
    await expect(run(ctx, 'email.send_customer', { ticket_id: 'T-404', to: 'a@b.example', subject: 's', body: 'b' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(ctx.store.list('email', 'outbox')).toEqual([]);
  });
});

describe('eng', () => {
  it('search_issues finds the known export bug first', async () => {
    const r = (await run(contextFor(data), 'eng.search_issues', { query: 'CSV export timeout' })) as { results: unknown[] };
    expect(r.results).toEqual([{ id: 'ENG-301', title: 'CSV export times out for projects over 1 GB', status: 'open', severity: 'medium' }]);
  });

  it('create_issue files an open issue reported by the agent', async () => {
    const ctx = contextFor(data, 'call_e');
    expect(await run(ctx, 'eng.create_issue', { title: 'Webhook retries stop', body: 'Retries stop after 3 tries.', severity: 'high', ticket_id: 'T-0951' })).toEqual({ issue_id: 'ENG-call_e', status: 'open' });
    expect(ctx.store.get('eng', 'issues', 'ENG-call_e')).toEqual({ id: 'ENG-call_e', title: 'Webhook retries stop', body: 'Retries stop after 3 tries.', severity: 'high', status: 'open', reporter: 'agent', ticket_id: 'T-0951', created_at: AT });
  });

  it('close_issue closes with a resolution, withdraws only the agent’s own filings, refuses closing twice', async () => {
    const ctx = contextFor(data);
    expect(await run(ctx, 'eng.close_issue', { issue_id: 'ENG-302', resolution: 'fixed' })).toEqual({ issue_id: 'ENG-302', status: 'closed', resolution: 'fixed' });
    expect(ctx.store.get('eng', 'issues', 'ENG-302')).toMatchObject({ status: 'closed', resolution: 'fixed', closed_at: AT });
    await expect(run(ctx, 'eng.close_issue', { issue_id: 'ENG-303', resolution: 'fixed' })).rejects.toMatchObject({ kind: 'conflict', message: 'issue ENG-303 is already closed' });
    await expect(run(ctx, 'eng.close_issue', { issue_id: 'ENG-301', resolution: 'filed_in_error' })).rejects.toMatchObject({ kind: 'denied' });
    await run(ctx, 'eng.create_issue', { title: 'Wrong issue', body: 'Filed on the wrong ticket.', severity: 'low' });
    expect(await run(ctx, 'eng.close_issue', { issue_id: 'ENG-call_test0001', resolution: 'filed_in_error' })).toEqual({ issue_id: 'ENG-call_test0001', status: 'withdrawn' });
    expect(ctx.store.get('eng', 'issues', 'ENG-call_test0001')).toBeUndefined();
  });
});

describe('tasks', () => {
  it('create_internal opens a task for a team; cancel_internal removes it', async () => {
    const ctx = contextFor(data, 'call_t');
    expect(await run(ctx, 'tasks.create_internal', { title: 'Merge Acme accounts', description: 'ACC-1005 duplicates ACC-1004.', team: 'success', ticket_id: 'T-0952' })).toEqual({ task_id: 'TASK-call_t', status: 'open' });
    expect(ctx.store.list('tasks', 'tasks')).toEqual([{ id: 'TASK-call_t', title: 'Merge Acme accounts', description: 'ACC-1005 duplicates ACC-1004.', team: 'success', ticket_id: 'T-0952', status: 'open', created_at: AT }]);
    expect(await run(ctx, 'tasks.cancel_internal', { task_id: 'TASK-call_t' })).toEqual({ task_id: 'TASK-call_t', cancelled: true });
    expect(ctx.store.list('tasks', 'tasks')).toEqual([]);
    await expect(run(ctx, 'tasks.cancel_internal', { task_id: 'TASK-call_t' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(run(ctx, 'tasks.create_internal', { title: 'x', description: 'y', team: 'billing', ticket_id: 'T-404' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('handoff', () => {
  it('escalate records the handoff and marks the ticket escalated; withdraw reopens it', async () => {
    const ctx = contextFor(data, 'call_h');
    const summary = 'T-0951: export still failing for Juniper Labs (ACC-1010); needs engineering ETA.';
    expect(await run(ctx, 'handoff.escalate', { reason: 'tool_failure', summary, ticket_id: 'T-0951' })).toEqual({ escalation_id: 'ESC-call_h', ticket_id: 'T-0951', status: 'waiting_for_human' });
    expect(ctx.store.list('handoff', 'escalations')).toEqual([{ id: 'ESC-call_h', ticket_id: 'T-0951', reason: 'tool_failure', summary, status: 'waiting_for_human', at: AT }]);
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.status).toBe('escalated');
    expect(await run(ctx, 'handoff.withdraw', { escalation_id: 'ESC-call_h' })).toEqual({ escalation_id: 'ESC-call_h', withdrawn: true });
    expect(ctx.store.list('handoff', 'escalations')).toEqual([]);
    expect(ctx.store.get('tickets', 'tickets', 'T-0951')!.status).toBe('open');
  });

  it('escalate works without a ticket, and refuses a thin summary, a bad category or an unknown ticket', async () => {
    const ctx = contextFor(data);
    expect(await run(ctx, 'handoff.escalate', { reason: 'missing_data', summary: 'Sender unknown; no account matches the email.' })).toMatchObject({ ticket_id: null });
    await expect(run(ctx, 'handoff.escalate', { reason: 'legal', summary: 'help' })).rejects.toMatchObject({ kind: 'invalid_args' });
    await expect(run(ctx, 'handoff.escalate', { reason: 'angry', summary: 'A long enough summary for a person.' })).rejects.toMatchObject({ kind: 'invalid_args' });
    await expect(run(ctx, 'handoff.escalate', { reason: 'legal', summary: 'A long enough summary for a person.', ticket_id: 'T-404' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(ctx.store.list('handoff', 'escalations')).toHaveLength(1);
  });
});
