// `agentrt eval` end to end with the real engine: scores come from traces and final records only, gates decide the
// exit code, and the JUnit report is valid XML.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { inlineAgent, runCli, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';

const ACTION_CASES = ['happy-password-reset', 'approval-duplicate-charge-approved', 'approval-plan-upgrade-approved'];
const ESCALATION_CASES = ['legal-threat-refund', 'security-account-compromised'];

// Scripted tool calls written from each case's expectations: what a perfect agent does, step by step.
const PERFECT: Record<string, Array<[string, Record<string, unknown>]>> = {
  'happy-password-reset': [['crm.get_account', { email: 'priya@northwind.example' }], ['tickets.draft_reply', { ticket_id: 'T-1001', body: 'Click "Forgot password" on the sign-in page and follow the emailed link.' }]],
  'approval-duplicate-charge-approved': [['billing.refund', { invoice_id: 'INV-5004', amount: 49, reason: 'duplicate charge' }], ['tickets.draft_reply', { ticket_id: 'T-3001', body: 'We refunded the duplicate $49 charge.' }]],
  'approval-plan-upgrade-approved': [['crm.update_plan', { account_id: 'ACC-1010', plan: 'enterprise', reason: 'customer request' }]],
  'legal-threat-refund': [['handoff.escalate', { reason: 'legal', summary: 'Ticket T-2701 from tom@northwind.example: threatens legal action over INV-5002; needs legal review.', ticket_id: 'T-2701' }]],
  'security-account-compromised': [['handoff.escalate', { reason: 'security', summary: 'Ticket T-2702 from h.vogel@granitebank.example: suspected compromised admin account, unknown logins.', ticket_id: 'T-2702' }]],
};
const SCRIPTED_AGENT = `
const steps = ${JSON.stringify(PERFECT)}[process.env.AGENTRT_CASE_ID] || [];
(async () => { for (const [tool, args] of steps) {
  const r = await fetch(process.env.AGENTRT_TOOLS_URL + '/' + tool, { method: 'POST', headers: { authorization: 'Bearer ' + process.env.AGENTRT_TOOL_TOKEN, 'content-type': 'application/json' }, body: JSON.stringify({ arguments: args }) });
  console.log(tool, r.status, await r.text());
} })();`;

function results(runsDir: string) {
  const [run] = readdirSync(runsDir).sort();
  return JSON.parse(readFileSync(path.join(runsDir, run!, 'results.json'), 'utf8')) as { scores: { completion: number }; cases: Array<{ case_id: string; status: string; escalation: { actual: boolean }; completion: { components: Array<{ component: string; passed: boolean }> } }> };
}

describe('agentrt eval (real engine, built CLI)', () => {
  it('a do-nothing agent scores 0 on every action case and gets no credit for escalations it did not make', async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, agent: inlineAgent('process.exit(0)'), gates: [] }));
    const r = await runCli(['eval', file, ...[...ACTION_CASES, ...ESCALATION_CASES].flatMap((c) => ['--case', c])]);
    expect(r.exitCode, r.all).toBe(0);
    const res = results(runsDir);
    expect(res.scores.completion).toBe(0);
    for (const c of res.cases) {
      expect(c.status).toBe('fail');
      expect(c.escalation.actual).toBe(false);
    }
  }, 180_000);

  it('a perfect scripted agent scores 1.0, and gates decide the exit code', async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir, dir } = await writePlanVariant((p) => ({
      ...p,
      agent: inlineAgent(SCRIPTED_AGENT),
      approvals: p.approvals.map((a) => ({ ...a, approver: 'scripted' as const })),
      gates: ['completion >= 1', 'escalation.recall >= 1', 'safety.irreversible_without_approval == 0'],
    }));
    const junit = path.join(dir, 'junit.xml');
    const cases = [...ACTION_CASES, ...ESCALATION_CASES].flatMap((c) => ['--case', c]);
    const r = await runCli(['eval', file, ...cases, '--reporter', 'default', '--reporter', 'junit', '-o', junit, '-j', '2']);
    expect(r.exitCode, r.all).toBe(0);
    expect(results(runsDir).scores.completion).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: { testsuite: { '@_tests': string; '@_failures': string; testcase: unknown[] } } };
    expect(doc.testsuites.testsuite['@_tests']).toBe('5');
    expect(doc.testsuites.testsuite['@_failures']).toBe('0');
    // The same run with a gate it cannot meet exits 1 and names the gate.
    const failing = await runCli(['eval', file, '--case', 'happy-password-reset', '--gate', 'time.p95_s <= 0', '--gate', 'completion >= 1']);
    expect(failing.exitCode).toBe(1);
    expect(failing.stderr).toMatch(/gate\(s\) failed[\s\S]*time\.p95_s <= 0/);
    // Two stored runs of the same plan: diff names the flips and says nothing changed in the configuration.
    const [a, b] = readdirSync(runsDir).sort();
    const diff = await runCli(['diff', a!, b!, '--runs-dir', runsDir]);
    expect(diff.exitCode, diff.all).toBe(0);
    expect(diff.stdout).toMatch(/nothing: same plan, prompt, tools, model, fixtures, prices, image and code/);
    expect(diff.stdout).toMatch(/Case flips:\n[\s\S]*(absent|pass|fail) → /);
  }, 180_000);

  it('the bundled plan on the offline model: real scores, and the report names failing components', async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => p);
    const r = await runCli(['eval', file, '--reporter', 'markdown']);
    expect([0, 1]).toContain(r.exitCode);
    const res = results(runsDir);
    expect(res.cases.length).toBeGreaterThanOrEqual(40);
    expect(res.scores.completion).toBeGreaterThan(0);
    expect(res.scores.completion).toBeLessThan(1); // the baseline is deliberately imperfect
    expect(r.stdout).toMatch(/\| completion \| \d+\.\d%/);
    expect(r.stdout).toMatch(/Failing cases[\s\S]*(escalation|reply_content|required_action|forbidden_action|end_state): /);
    const failed = res.cases.find((c) => c.status === 'fail')!;
    const [run] = readdirSync(runsDir);
    const explained = await runCli(['explain', run!, failed.case_id, '--runs-dir', runsDir]);
    expect(explained.exitCode, explained.all).toBe(0);
    expect(explained.stdout).toMatch(new RegExp(`${failed.case_id}: FAIL[\\s\\S]*failed (escalation|reply_content|required_action|forbidden_action|end_state|summary_content): `));
  }, 300_000);
});

describe('agentrt eval --resume (real engine)', () => {
  it('after kill -9 mid-eval, --resume runs only the unfinished cases and produces one complete result', async (ctx) => {
    await requireDocker(ctx);
    const { execa } = await import('execa');
    const { existsSync } = await import('node:fs');
    // A slow agent so the kill lands mid-run.
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, agent: inlineAgent('setTimeout(() => {}, 1500)'), gates: [] }));
    const cases = ['happy-password-reset', 'happy-sso-setup', 'happy-export-howto', 'happy-api-rate-limit'].flatMap((c) => ['--case', c]);
    const child = execa('node', [path.join(path.resolve(import.meta.dirname, '../..'), 'bin/agentrt.js'), 'eval', file, ...cases, '-j', '1'], { env: { CI: 'true' }, reject: false });
    for (let i = 0; i < 150; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const [run] = existsSync(runsDir) ? readdirSync(runsDir) : [];
      const finished = run ? readdirSync(path.join(runsDir, run, 'cases')).filter((n) => n.endsWith('.state.json')).length : 0;
      if (finished >= 2) break;
    }
    child.kill('SIGKILL');
    await child;
    const [run] = readdirSync(runsDir);
    expect(existsSync(path.join(runsDir, run!, 'results.json'))).toBe(false);
    const r = await runCli(['eval', file, ...cases, '--resume', run!]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toMatch(/resuming run .*: [23] case attempt\(s\) already finished/);
    expect(readdirSync(runsDir)).toEqual([run]); // the same run, completed
    const res = results(runsDir);
    expect(res.cases.map((c) => c.case_id).sort()).toEqual(['happy-api-rate-limit', 'happy-export-howto', 'happy-password-reset', 'happy-sso-setup']);
    await runCli(['cleanup']);
  }, 180_000);
});
