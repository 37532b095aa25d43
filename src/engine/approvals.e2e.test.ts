// Durable approvals on the real engine, each step a separate process: a non-interactive run stops at a call that
// needs a person (state on disk, exit 0), `approvals` lists it with its context, `approve` by someone the plan does
// not name is refused, `approve --by` a named approver records the decision, and `resume` finishes the case with
// the decision and the approver in its trace. A denial resumes into the plan's stop rule.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { runCli, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import { LABEL_RUN } from '../sandbox/driver.js';
import type { TraceEvent } from '../trace/events.js';

const TICKET = `id: T-3001
channel: email
from: {name: Sam Okafor, email: sam@copperleaf.example}
subject: Charged twice this month
body: We were charged twice for November ($49 each, INV-5003 and INV-5004). Please refund the duplicate.
`;
const trace = (runDir: string) => readFileSync(path.join(runDir, 'cases', 'adhoc-refund.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);

async function pausedRun() {
  const { file, dir, runsDir } = await writePlanVariant((p) => ({ ...p, gates: [] }));
  const ticket = path.join(dir, 'refund.yaml');
  writeFileSync(ticket, TICKET);
  const r = await runCli(['run', file, '--ticket', ticket]);
  expect(r.exitCode, r.all).toBe(0);
  const [runId] = readdirSync(runsDir);
  return { runId: runId!, runDir: path.join(runsDir, runId!), runsDir, out: r.stdout };
}

describe('durable approvals (real engine, separate processes)', () => {
  it('a queued approval survives the process: approve from a second process, resume, and the case finishes with the decision', async (ctx) => {
    await requireDocker(ctx);
    const { runId, runDir, runsDir, out } = await pausedRun();
    const paused = trace(runDir);
    expect(paused.at(-1)).toMatchObject({ type: 'case.end', stop: 'paused' });
    const pending = paused.find((e) => e.type === 'approval.pending') as { queue_id: string; tool: string } | undefined;
    expect(pending).toMatchObject({ tool: 'billing.refund' });
    expect(out).toContain(`agentrt resume ${runId}`);
    const why = await runCli(['explain', runId, 'adhoc-refund', '--runs-dir', runsDir]);
    expect(why.stdout).toMatch(/stopped: paused[\s\S]*waiting for a person to decide billing\.refund \(ap[0-9a-f]{8}; may decide: billing-lead, support-lead\)/);
    expect(await new Docker().listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).toEqual([]);

    const listed = await runCli(['approvals', '--runs-dir', runsDir, '--json']);
    const [item] = JSON.parse(listed.stdout) as Array<{ id: string; status: string; tool: string; affected: Array<{ record: string; current: Record<string, unknown> }>; approvers: string[] }>;
    expect(item).toMatchObject({ id: pending!.queue_id, status: 'pending', tool: 'billing.refund', approvers: ['billing-lead', 'support-lead'] });
    expect(item!.affected[0]).toMatchObject({ record: 'billing.invoices.INV-5004', current: { status: 'paid' } });
    expect(item!.affected[0]!.current).not.toHaveProperty('card_number'); // excluded data is not shown to the approver either

    const wrong = await runCli(['approve', runId, item!.id, '--by', 'mallory', '--runs-dir', runsDir]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/mallory may not decide.*\n.*controls\.approve lists: billing-lead, support-lead/);
    const early = await runCli(['resume', runId, '--runs-dir', runsDir]);
    expect(early.exitCode).toBe(2);
    expect(early.stderr).toContain(`still waiting: ${item!.id}`);

    const ok = await runCli(['approve', runId, item!.id, '--by', 'billing-lead', '--reason', 'duplicate confirmed', '--runs-dir', runsDir]);
    expect(ok.exitCode, ok.all).toBe(0);
    const again = await runCli(['deny', runId, item!.id, '--by', 'support-lead', '--runs-dir', runsDir]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already approved by billing-lead/);

    const resumed = await runCli(['resume', runId, '--runs-dir', runsDir]);
    expect(resumed.exitCode, resumed.all).toBe(0);
    const done = trace(runDir);
    expect(done[0]).toMatchObject({ type: 'case.start', replay_of: expect.stringMatching(/^adhoc-refund\.paused-\d+\.ndjson\.prev$/) });
    expect(done.find((e) => e.type === 'approval.decision')).toMatchObject({ decision: 'approve', by: 'billing-lead', source: 'queue', reason: 'duplicate confirmed' });
    expect(done.find((e) => e.type === 'tool.call' && e.tool === 'billing.refund')).toMatchObject({ ok: true, decision: 'needs_approval' });
    expect(done.at(-1)).toMatchObject({ type: 'case.end', stop: 'completed' });
    // The recorded prefix was served from the recording; the paused attempt is kept beside the new one.
    const models = done.filter((e) => e.type === 'model.call') as Array<{ provider: string }>;
    expect(models[0]!.provider).toBe('replay');
    expect(readdirSync(path.join(runDir, 'cases')).some((n) => n.endsWith('.ndjson.prev'))).toBe(true);
    const state = JSON.parse(readFileSync(path.join(runDir, 'cases', 'adhoc-refund.state.json'), 'utf8')) as { final: { billing: { refunds: unknown[] } } };
    expect(state.final.billing.refunds.length).toBeGreaterThan(0);
    expect(JSON.parse((await runCli(['approvals', '--runs-dir', runsDir, '--json'])).stdout)).toEqual([]);
  }, 180_000);

  it('a denial with a message resumes into the plan\'s approval-denied stop rule, with the approver named', async (ctx) => {
    await requireDocker(ctx);
    const { runId, runDir, runsDir } = await pausedRun();
    const [item] = JSON.parse((await runCli(['approvals', '--runs-dir', runsDir, '--json'])).stdout) as Array<{ id: string }>;
    expect((await runCli(['deny', runId, item!.id, '--by', 'support-lead', '--reason', 'refunds wait for the audit', '--runs-dir', runsDir])).exitCode).toBe(0);
    const resumed = await runCli(['resume', runId, '--runs-dir', runsDir]);
    expect(resumed.exitCode, resumed.all).toBe(0);
    const done = trace(runDir);
    expect(done.find((e) => e.type === 'approval.decision')).toMatchObject({ decision: 'deny', by: 'support-lead', reason: 'refunds wait for the audit' });
    expect(done.find((e) => e.type === 'tool.call' && e.tool === 'billing.refund')).toMatchObject({ ok: false, error: expect.stringContaining('denied by support-lead: refunds wait for the audit') });
    expect(done.find((e) => e.type === 'stop_rule')).toMatchObject({ rule: 'approval-denied' });
    expect(done.at(-1)).toMatchObject({ type: 'case.end', stop: 'escalated' });
  }, 180_000);
});
