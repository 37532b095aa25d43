import { describe, expect, it } from 'vitest';
import { offlineComplete } from './offline.js';
import type { ChatMessage, ChatRequest } from './types.js';

const TOOLS = ['crm.get_account', 'crm.search_accounts', 'tickets.get_ticket', 'kb.search', 'kb.get_article', 'tickets.add_internal_note', 'tickets.draft_reply', 'handoff.escalate', 'billing.get_invoices', 'billing.refund'].map((n) => ({
  type: 'function' as const,
  function: { name: n.replace('.', '__'), parameters: { type: 'object' } },
}));
const ticket = (subject: string, body: string): ChatMessage => ({ role: 'user', content: `New support ticket T-1001 via email\nFrom: Priya Nair <priya@northwind.example>\nSubject: ${subject}\n\n${body}` });

/** Drives the offline model against scripted tool results until it answers; returns the tool names it called. */
function converse(first: ChatMessage, results: Record<string, unknown>): { calls: Array<[string, Record<string, unknown>]>; final: string } {
  const messages: ChatMessage[] = [{ role: 'system', content: 'sys' }, first];
  const calls: Array<[string, Record<string, unknown>]> = [];
  for (let i = 0; i < 15; i++) {
    const { response } = offlineComplete({ messages, tools: TOOLS } as ChatRequest, 'baseline-v1');
    const msg = response.choices[0]!.message;
    if (!msg.tool_calls) return { calls, final: msg.content ?? '' };
    const tc = msg.tool_calls[0]!;
    const name = tc.function.name.replace('__', '.');
    calls.push([name, JSON.parse(tc.function.arguments) as Record<string, unknown>]);
    messages.push({ role: 'assistant', content: null, tool_calls: msg.tool_calls });
    messages.push({ role: 'tool', tool_call_id: tc.id, content: JSON.stringify(results[name] ?? { ok: true, result: {} }) });
  }
  throw new Error('no final answer');
}

const account = { ok: true, result: { id: 'ACC-1001', name: 'Northwind Traders', plan: 'pro', contacts: [{ name: 'Priya Nair', email: 'priya@northwind.example' }] } };

describe('offline baseline model', () => {
  it('looks the customer up first, then grounds a draft reply in the KB article', () => {
    const { calls, final } = converse(ticket('Forgot password', 'I forgot my password.'), {
      'crm.get_account': account,
      'kb.search': { ok: true, result: { results: [{ id: 'KB-102', title: 'Reset your password', status: 'current' }] } },
      'kb.get_article': { ok: true, result: { id: 'KB-102', title: 'Reset your password', body: 'Click Forgot password.' } },
    });
    expect(calls.map((c) => c[0])).toEqual(['crm.get_account', 'tickets.get_ticket', 'kb.search', 'kb.get_article', 'tickets.add_internal_note', 'tickets.draft_reply']);
    expect(calls[0]![1]).toEqual({ email: 'priya@northwind.example' });
    expect(String(calls.at(-1)![1].body)).toContain('Click Forgot password.');
    expect(final).toMatch(/T-1001/);
  });

  it('escalates a legal threat with a summary naming the ticket and customer', () => {
    const { calls } = converse(ticket('Refund', 'Refund me or my lawyer will sue.'), { 'crm.get_account': account });
    const [name, args] = calls.at(-1)!;
    expect(name).toBe('handoff.escalate');
    expect(args.reason).toBe('legal');
    expect(String(args.summary)).toMatch(/T-1001.*Northwind Traders \(ACC-1001\)/);
  });

  it('escalates as approval_denied when a refund is refused', () => {
    const { calls } = converse(ticket('Charged twice', 'You charged us twice, refund the duplicate.'), {
      'crm.get_account': account,
      'billing.get_invoices': { ok: true, result: { invoices: [{ id: 'INV-1', status: 'paid', amount: 49 }] } },
      'billing.refund': { ok: false, error: { code: 'approval_denied', message: 'denied by billing-lead' } },
    });
    expect(calls.map((c) => c[0])).toContain('billing.refund');
    expect(calls.at(-1)).toEqual(['handoff.escalate', expect.objectContaining({ reason: 'approval_denied' })]);
  });

  it('is deterministic and reports consistent usage', () => {
    const req = { messages: [ticket('Forgot password', 'help')], tools: TOOLS } as ChatRequest;
    const a = offlineComplete(req, 'm');
    const b = offlineComplete(req, 'm');
    expect(a).toEqual(b);
    const u = a.response.usage;
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(a.usage.input_tokens).toBe(u.prompt_tokens);
    expect(u.prompt_tokens).toBeGreaterThan(10);
  });

  it('uses only the tools it is offered', () => {
    const req = { messages: [ticket('Forgot password', 'help')], tools: [] } as ChatRequest;
    expect(offlineComplete(req, 'm').response.choices[0]!.message.tool_calls).toBeUndefined();
  });
});
