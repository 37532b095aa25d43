// Who answers, in which order, on real files: recorded decisions, the queue (bound to the argument hash), the
// --approve flag, auto rules, scripted answers, the person (prompt or queue), the rule's default.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { evalCase } from '../plan/case-schema.js';
import type { ApprovalRequest } from '../gateway/approver.js';
import { composeApprover, recordedDecisions } from './approvers.js';
import { listApprovals, queueId, readApproval, saveApproval } from './store.js';
import { ttyAsker } from './tty-prompt.js';

const kase = (approvals: unknown[] = []) =>
  evalCase.parse({ id: 'c1', title: 'a refund', category: 'approval', ticket: { id: 'T-1', channel: 'email', from: {}, subject: 's', body: 'b' }, approvals, expect: { escalate: false } });
const state = { billing: { invoices: [{ id: 'INV-1', amount: 49, status: 'paid' }] } };
const request = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  approvalId: 'ap-call_1', callId: 'call_1', caseId: 'c1', runId: 'run-1', tool: 'billing.refund', risk: 'irreversible',
  args: { invoice_id: 'INV-1', amount: 49 }, argsHash: 'h1', ruleRef: 'approvals[0]', approvers: ['billing-lead'],
  rule: { tool: 'billing.refund', when: [], approver: 'human', default: 'deny', reason: 'money out' }, currentState: () => state as never, ...over,
});
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'agentrt-approvals-'));

describe('composeApprover', () => {
  it('queues a human approval durably, with its context, and answers from the queue once decided', async () => {
    const runDir = tmp();
    const approver = composeApprover({ kase: kase(), mode: 'queue', runDir, caseKey: 'c1' });
    const first = await approver.decide(request());
    const id = queueId('run-1', 'c1', 'ap-call_1');
    expect(first).toEqual({ pending: true, queueId: id });
    const stored = await readApproval(runDir, id);
    expect(stored).toMatchObject({ status: 'pending', tool: 'billing.refund', rule_reason: 'money out', affected: [{ record: 'billing.invoices.INV-1', current: { amount: 49 } }] });
    expect(await approver.decide(request())).toEqual({ pending: true, queueId: id }); // asked again: still pending, not a second file
    expect(await listApprovals(runDir)).toHaveLength(1);

    await saveApproval(runDir, { ...stored!, status: 'approved', decision: { decision: 'approve', by: 'billing-lead', decided_at: 'now' } });
    expect(await approver.decide(request())).toEqual({ decision: 'approve', by: 'billing-lead', source: 'queue' });
    // The decision covers those arguments only: a different amount is a new question.
    expect(await approver.decide(request({ argsHash: 'h2' }))).toMatchObject({ pending: true });
  });

  it('recorded decisions come first, then --approve, auto rules, scripted answers, and the rule default last', async () => {
    const runDir = tmp();
    const recorded = recordedDecisions([{ type: 'approval.request', approval_id: 'ap-call_1', args_hash: 'h1' } as never, { type: 'approval.decision', approval_id: 'ap-call_1', decision: 'deny', by: 'alice', source: 'tty', reason: 'no' } as never]);
    // The same call id with other arguments is a new question, not the recorded answer.
    expect(await composeApprover({ kase: kase(), mode: 'default', runDir, caseKey: 'c1', recorded }).decide(request({ argsHash: 'h2' }))).toMatchObject({ source: 'plan-default' });
    expect(await composeApprover({ kase: kase(), mode: 'queue', runDir, caseKey: 'c1', recorded }).decide(request())).toEqual({ decision: 'deny', by: 'alice', source: 'recording', reason: 'no' });
    expect(await composeApprover({ kase: kase(), mode: 'queue', runDir, caseKey: 'c1', fixed: 'approve' }).decide(request())).toMatchObject({ decision: 'approve', source: 'flag' });
    const auto = request({ rule: { tool: 'billing.refund', when: [], approver: 'auto-approve', default: 'deny' } });
    expect(await composeApprover({ kase: kase(), mode: 'queue', runDir, caseKey: 'c1' }).decide(auto)).toMatchObject({ decision: 'approve', source: 'plan-default' });
    const scripted = kase([{ tool: 'billing.refund', when: ['amount <= 49'], decision: 'approve', by: 'billing-lead' }]);
    expect(await composeApprover({ kase: scripted, mode: 'queue', runDir, caseKey: 'c1' }).decide(request())).toMatchObject({ decision: 'approve', by: 'billing-lead', source: 'scripted' });
    expect(await composeApprover({ kase: kase(), mode: 'default', runDir, caseKey: 'c1' }).decide(request())).toMatchObject({ decision: 'deny', source: 'plan-default' });
    expect(await listApprovals(runDir)).toEqual([]); // none of these asked a person
  });

  it('the terminal prompt shows the context and records a denial with its message', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d) => (shown += String(d)));
    const ask = ttyAsker('billing-lead', input, output);
    const answer = composeApprover({ kase: kase(), mode: 'tty', runDir: tmp(), caseKey: 'c1', ask }).decide(request({ reason: 'customer was charged twice' }));
    await new Promise((r) => setTimeout(r, 20));
    input.write('x\n');
    await new Promise((r) => setTimeout(r, 20));
    input.write('m\n');
    await new Promise((r) => setTimeout(r, 20));
    input.write('over the limit\n');
    expect(await answer).toEqual({ decision: 'deny', by: 'billing-lead', source: 'tty', reason: 'over the limit' });
    expect(shown).toContain('Approval needed: billing.refund [irreversible]');
    expect(shown).toContain("the agent's reason: customer was charged twice");
    expect(shown).toContain('affects billing.invoices.INV-1 (now): {"amount":49,"id":"INV-1","status":"paid"}');
    expect(shown).toContain('answer a, d or m');
  });
});
