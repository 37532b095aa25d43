// End to end with the real engine and the built CLI: a ticket flows from the plan into a hardened container, the
// agent reaches the world only through the gateways, and the run ends with a timeline and a trace.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { inlineAgent, runCli, stripAnsi, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import { LABEL_RUN } from '../sandbox/driver.js';
import type { TraceEvent } from '../trace/events.js';
import type { RuntimePlan } from '../plan/schema.js';

const docker = new Docker();
/** What this test's run left behind (other test files may run their own sandboxes at the same time). */
const leftovers = async (runsDir: string) => {
  const [run] = readdirSync(runsDir);
  const label = [`${LABEL_RUN}=${run}`];
  return {
    containers: await docker.listContainers({ all: true, filters: { label } }),
    networks: await docker.listNetworks({ filters: { label } }),
  };
};
function traceOf(runsDir: string, caseId: string): TraceEvent[] {
  const [run] = readdirSync(runsDir);
  return readFileSync(path.join(runsDir, run!, 'cases', `${caseId}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
}

// An agent that never stops calling the model: only the runtime's limits can end it.
const RUNAWAY = `
const call = () => fetch(process.env.OPENAI_BASE_URL + '/chat/completions', { method: 'POST',
  headers: { authorization: 'Bearer ' + process.env.OPENAI_API_KEY, 'content-type': 'application/json' },
  body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(4000) }], max_tokens: 200 }) });
(async () => { for (;;) { const r = await call(); if (r.status === 429) await new Promise((s) => setTimeout(s, 50)); } })();`;

describe('agentrt run (real engine, built CLI)', () => {
  it('runs a ticket end to end on the offline model and prints the timeline', async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => p);
    const r = await runCli(['run', file, '--case', 'happy-password-reset']);
    const out = stripAnsi(r.stdout);
    expect(r.exitCode, r.all).toBe(0);
    expect(out).toContain('received ticket');
    expect(out).toMatch(/crm\.get_account \[read\] → ok/);
    expect(out).toMatch(/credential: [0-9a-f]{8} via json/);
    expect(out).toMatch(/update tickets\.tickets\.T-1001/);
    expect(out).toMatch(/Stop: completed/);
    expect(out).toMatch(/Cost: \$0\.\d+/);
    const events = traceOf(runsDir, 'happy-password-reset');
    expect(events[0]).toMatchObject({ type: 'case.start', v: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'case.end', stop: 'completed' });
    expect(await leftovers(runsDir)).toEqual({ containers: [], networks: [] });

    // Postmortem on the stored run: the timeline again, then a rollback of what the agent changed.
    const [run] = readdirSync(runsDir);
    const otlpFile = path.join(runsDir, 'otlp.json');
    const replay = await runCli(['replay', run!, '--runs-dir', runsDir, '--case', 'happy-password-reset', '--otlp', otlpFile]);
    expect(stripAnsi(replay.stdout)).toMatch(/tickets\.draft_reply \[reversible\] → ok/);
    const otlp = JSON.parse(readFileSync(otlpFile, 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Array<{ key: string }> }> }> }> };
    const spans = otlp.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans[0]!.name).toBe('invoke_agent plan');
    expect(spans.filter((x) => x.name.startsWith('chat ')).length).toBeGreaterThan(2);
    const tool = spans.find((x) => x.name === 'execute_tool crm.get_account')!;
    expect(tool.parentSpanId).toBe(spans[0]!.spanId);
    expect(tool.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(tool.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['gen_ai.operation.name', 'gen_ai.tool.name', 'gen_ai.tool.call.id']));
    expect(spans.find((x) => x.name.startsWith('chat '))!.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['gen_ai.request.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens']));
    const rb = await runCli(['rollback', run!, '--runs-dir', runsDir]);
    expect(rb.exitCode, rb.all).toBe(0);
    expect(rb.stdout).toMatch(/undone {2}tickets\.tickets\.T-1001/);
    const state = JSON.parse(readFileSync(path.join(runsDir, run!, 'cases', 'happy-password-reset.state.json'), 'utf8')) as { initial: unknown; rolled_back: unknown };
    expect(state.rolled_back).toEqual(state.initial);
  }, 120_000);

  const LIMITS: Array<[string, (p: RuntimePlan) => RuntimePlan]> = [
    ['steps', (p: RuntimePlan) => ({ ...p, limits: { ...p.limits, max_steps: 3 } })],
    ['tokens', (p: RuntimePlan) => ({ ...p, limits: { ...p.limits, max_tokens: 5000 } })],
    ['cost', (p: RuntimePlan) => ({ ...p, model: { ...p.model, prices: { input_per_mtok: 100, output_per_mtok: 100 } }, limits: { ...p.limits, max_cost_usd: 0.3 } })],
    ['wall_time', (p: RuntimePlan) => ({ ...p, limits: { ...p.limits, max_wall_time_s: 3, max_tokens: 100_000_000, max_steps: 10_000, max_cost_usd: 10_000 } })],
  ];
  for (const [limit, edit] of LIMITS) it(`a runaway agent is stopped by the ${limit} limit with that stop reason`, async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...edit(p), agent: inlineAgent(RUNAWAY) }));
    const r = await runCli(['run', file, '--case', 'happy-password-reset']);
    expect(r.exitCode, r.all).toBe(0);
    const events = traceOf(runsDir, 'happy-password-reset');
    expect(events.find((e) => e.type === 'limit.hit')).toMatchObject({ limit, action: 'escalate' });
    expect(events.find((e) => e.type === 'escalation')).toMatchObject({ by: 'runtime', category: 'limit_hit' });
    expect(events.at(-1)).toMatchObject({ type: 'case.end', stop: 'limit' });
    expect(await leftovers(runsDir)).toEqual({ containers: [], networks: [] });
  }, 120_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) it(`${signal} stops the agent, removes the container and network, closes the trace and exits 130`, async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, limits: { ...p.limits, max_wall_time_s: 60 }, agent: inlineAgent('setInterval(() => {}, 1000)') }));
    const child = runCli(['run', file, '--case', 'happy-password-reset']);
    // Wait until the agent is running, then interrupt.
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 200));
      if (existsSync(runsDir) && readdirSync(runsDir).length && (await docker.listContainers({ filters: { label: ['agentrt.role=agent', `${LABEL_RUN}=${readdirSync(runsDir)[0]}`] } })).length) break;
    }
    child.kill(signal);
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    expect(await leftovers(runsDir)).toEqual({ containers: [], networks: [] });
    expect(traceOf(runsDir, 'happy-password-reset').at(-1)).toMatchObject({ type: 'case.end', stop: 'stopped' });
  }, 120_000);

  it('after kill -9 the partial trace stays readable, and cleanup finds and removes the leftovers by label', async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, limits: { ...p.limits, max_wall_time_s: 60 }, agent: inlineAgent('setInterval(() => {}, 1000)') }));
    const child = runCli(['run', file, '--case', 'happy-password-reset']);
    let run = '';
    for (let i = 0; i < 100 && !run; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const id = existsSync(runsDir) ? readdirSync(runsDir)[0] : undefined;
      if (id && (await docker.listContainers({ filters: { label: ['agentrt.role=agent', `${LABEL_RUN}=${id}`] } })).length) run = id;
    }
    child.kill('SIGKILL');
    await child;
    expect((await leftovers(runsDir)).containers.length).toBeGreaterThan(0);
    const replay = await runCli(['replay', run, '--runs-dir', runsDir]);
    expect(replay.exitCode).toBe(0);
    expect(replay.stdout).toContain('the trace ends without case.end');
    const cleaned = await runCli(['cleanup']);
    expect(cleaned.stdout).toMatch(new RegExp(`removed container .*run ${run}`));
    expect(cleaned.stdout).toMatch(/removed network agentrt-/);
    expect(await leftovers(runsDir)).toEqual({ containers: [], networks: [] });
  }, 120_000);

  it('an unreachable Docker engine is an infrastructure error: exit 3 and a message that says what to do', async () => {
    const r = await runCli(['run', 'runtime-plans/support-triage.yaml', '--case', 'happy-password-reset'], { env: { DOCKER_HOST: 'unix:///tmp/agentrt-no-such-docker.sock' } });
    expect(r.exitCode, r.all).toBe(3);
    expect(stripAnsi(r.stderr)).toMatch(/E_DOCKER_UNREACHABLE[\s\S]*start it|DOCKER_HOST/);
  });

  it('a plan error exits 2 before anything starts', async () => {
    const r = await runCli(['run', 'fixtures/plans/invalid/risk-enum.yaml', '--case', 'x']);
    expect(r.exitCode).toBe(2);
    expect(stripAnsi(r.stderr)).toMatch(/risk-enum\.yaml:15:\d+ error E_PLAN_ENUM tools\[0\]\.risk/);
  });
});
