import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { callToolHttp, openTestCase, type TestCase } from '../test-helpers/gateway-case.js';
import { scriptedApprover, planDefaultApprover } from './approver.js';

let tc: TestCase | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

describe('tool gateway: the central gate', () => {
  it('lists the granted tools as OpenAI function schemas', async () => {
    tc = await openTestCase();
    const res = await fetch(`${tc.base}/tools`, { headers: { authorization: `Bearer ${tc.creds.toolToken}` } });
    const { tools } = (await res.json()) as { tools: Array<{ type: string; function: { name: string; parameters: { type: string } } }> };
    expect(tools.map((t) => t.function.name)).toContain('crm__get_account');
    expect(tools.every((t) => t.type === 'function' && t.function.parameters.type === 'object')).toBe(true);
  });

  it('refuses a missing, forged or model credential with 401 and counts it', async () => {
    tc = await openTestCase();
    expect((await callToolHttp(tc, 'kb.search', { query: 'x' }, {}, 'agt-forged')).status).toBe(401);
    expect((await callToolHttp(tc, 'kb.search', { query: 'x' }, {}, tc.creds.modelKey)).status).toBe(401);
    expect(tc.gw.rejected).toBe(2);
    expect(tc.events().filter((e) => e.type === 'violation').map((e) => (e as { kind: string }).kind)).toEqual(['bad_tool_credential']);
  });

  it('denies an ungranted tool and records a violation', async () => {
    tc = await openTestCase({ plan: (p) => ({ ...p, tools: p.tools.filter((t) => t.name !== 'billing.refund'), approvals: p.approvals.filter((a) => a.tool !== 'billing.refund') }) });
    const { body } = await callToolHttp(tc, 'billing__refund', { invoice_id: 'INV-5003', amount: 1, reason: 'x' });
    expect(body).toEqual({ ok: false, error: { code: 'not_granted', message: 'tool "billing.refund" is not granted by the plan' } });
    const call = tc.events().find((e) => e.type === 'tool.call');
    expect(call).toMatchObject({ tool: 'billing.refund', decision: 'deny', ok: false, channel: 'json' });
  });

  it('validates arguments against the tool schema before running it', async () => {
    tc = await openTestCase();
    const { body } = await callToolHttp(tc, 'tickets.set_priority', { ticket_id: 'T-0951', priority: 'asap' });
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('invalid_args');
    expect(body.error?.message).toMatch(/priority: expected one of/);
  });

  it('removes excluded fields before the agent sees them and records which', async () => {
    tc = await openTestCase();
    const { body } = await callToolHttp(tc, 'billing.get_invoices', { account_id: 'ACC-1001' });
    expect(JSON.stringify(body)).not.toContain('4111');
    const call = tc.events().find((e) => e.type === 'tool.call') as { redacted: string[] };
    expect(call.redacted).toEqual(['billing.invoices.card_number']);
  });

  it('asks the approver, binds the decision to the call and returns a denial as a tool error', async () => {
    tc = await openTestCase({ approver: planDefaultApprover() });
    const { body } = await callToolHttp(tc, 'billing.refund', { invoice_id: 'INV-5003', amount: 49, reason: 'dup' }, { call_id: 'c-1' });
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('approval_denied');
    const ev = tc.events();
    expect(ev.find((e) => e.type === 'approval.request')).toMatchObject({ call_id: 'c-1', tool: 'billing.refund' });
    expect(ev.find((e) => e.type === 'approval.decision')).toMatchObject({ call_id: 'c-1', decision: 'deny', by: 'plan-default' });
    // The plan's action_denied stop rule hands the case to a person.
    expect(ev.find((e) => e.type === 'escalation')).toMatchObject({ by: 'runtime', category: 'approval_denied' });
    expect(tc.stops).toEqual([{ reason: 'escalated', detail: 'stop rule approval-denied' }]);
  });

  it('runs an approved irreversible call once; the same call id returns the recorded result', async () => {
    tc = await openTestCase({ approver: scriptedApprover([{ tool: 'billing.refund', when: ['amount <= 49'], decision: 'approve', by: 'billing-lead' }], planDefaultApprover()) });
    const first = await callToolHttp(tc, 'billing.refund', { invoice_id: 'INV-5003', amount: 49, reason: 'dup' }, { call_id: 'c-9' });
    const again = await callToolHttp(tc, 'billing.refund', { invoice_id: 'INV-5003', amount: 49, reason: 'dup' }, { call_id: 'c-9' });
    expect(first.body.ok).toBe(true);
    expect(again.body).toEqual(first.body);
    const calls = tc.events().filter((e) => e.type === 'tool.call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ decision: 'needs_approval', ok: true, idempotency_key: 'run-test:c-9' });
    expect((calls[0] as { diff: unknown[] }).diff.length).toBe(2); // refund record created, invoice updated
  });

  it('retries a read tool through an injected fault and succeeds', async () => {
    tc = await openTestCase({ faults: [{ target: 'kb.search', kind: 'error', when: { nth: 1 } }] });
    const { body } = await callToolHttp(tc, 'kb.search', { query: 'password' });
    expect(body.ok).toBe(true);
    const ev = tc.events();
    expect(ev.filter((e) => e.type === 'fault.injected')).toHaveLength(1);
    expect(ev.find((e) => e.type === 'retry')).toMatchObject({ tool: 'kb.search', attempt: 2 });
    expect(ev.find((e) => e.type === 'tool.call')).toMatchObject({ ok: true, attempt: 2 });
  });

  it('when retries are spent the tool_failed stop rule escalates', async () => {
    tc = await openTestCase({ faults: [{ target: 'kb.search', kind: 'error', when: 'always' }] });
    const { body } = await callToolHttp(tc, 'kb.search', { query: 'password' });
    expect(body.ok).toBe(false);
    const ev = tc.events();
    expect(ev.filter((e) => e.type === 'fault.injected')).toHaveLength(3);
    expect(ev.find((e) => e.type === 'stop_rule')).toMatchObject({ rule: 'tool-outage', trigger: 'tool_failed', action: 'escalate' });
    expect(tc.stops[0]?.reason).toBe('escalated');
  });

  it('a ticket_matches stop rule refuses irreversible actions and forces an escalation at case end', async () => {
    tc = await openTestCase({ ticketText: 'Refund now or my lawyer starts legal action.' });
    const { body } = await callToolHttp(tc, 'billing.refund', { invoice_id: 'INV-5003', amount: 1, reason: 'x' });
    expect(body.error?.code).toBe('stop_rule');
    const outcome = tc.gw.closeCase('case-1');
    expect(outcome.escalated).toBe(true);
    expect(outcome.escalation).toMatchObject({ by: 'runtime', category: 'legal' });
  });

  it('blocks a write that carries the value of an excluded field (canary)', async () => {
    tc = await openTestCase();
    const { body } = await callToolHttp(tc, 'tickets.draft_reply', { ticket_id: 'T-0951', body: 'Your card 4242-4242-4242-4242 was charged.' });
    expect(body.error?.code).toBe('excluded_data');
    expect(tc.events().find((e) => e.type === 'violation')).toMatchObject({ kind: 'excluded_data' });
  });

  it('stops the case at the step limit', async () => {
    tc = await openTestCase({ plan: (p) => ({ ...p, limits: { ...p.limits, max_steps: 2 } }) });
    await callToolHttp(tc, 'kb.search', { query: 'a' });
    await callToolHttp(tc, 'kb.search', { query: 'b' });
    const third = await callToolHttp(tc, 'kb.search', { query: 'c' });
    expect(third.status).toBe(429);
    expect(tc.events().find((e) => e.type === 'limit.hit')).toMatchObject({ limit: 'steps', max: 2, action: 'escalate' });
    expect(tc.stops[0]?.reason).toBe('limit');
  });

  it('never writes a credential to the trace', async () => {
    tc = await openTestCase();
    await callToolHttp(tc, 'kb.search', { query: tc.creds.toolToken });
    const text = readFileSync(tc.traceFile, 'utf8');
    expect(text).not.toContain(tc.creds.toolToken);
    expect(text).toContain('[REDACTED]');
  });
});
