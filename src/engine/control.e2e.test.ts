// Pause, resume and stop of a live run from another terminal (real engine, separate processes): the plan's
// controls say who may; a paused case keeps its container, frozen, and makes no call; a resumed one goes on; a
// stopped one is torn down and recorded as stopped by that person. Every action and its author is in the trace.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { inlineAgent, runCli, writePlanVariant } from '../test-helpers/cli.js';
import { repoRoot } from '../test-helpers/fixtures.js';
import { requireDocker } from '../sandbox/test-docker.js';
import { LABEL_ROLE, LABEL_RUN } from '../sandbox/driver.js';
import type { TraceEvent } from '../trace/events.js';

// Calls a read tool every 100 ms for up to 25 s, so there is always something to pause.
const BUSY = `
const tools = process.env.AGENTRT_TOOLS_URL, tok = process.env.AGENTRT_TOOL_TOKEN;
(async () => { for (let i = 0; i < 250; i++) {
  await fetch(tools + '/kb.search', { method: 'POST', headers: { authorization: 'Bearer ' + tok, 'content-type': 'application/json' }, body: JSON.stringify({ arguments: { query: 'password' } }) });
  await new Promise((r) => setTimeout(r, 100));
} })();`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const events = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEvent);
const toolCalls = (file: string) => events(file).filter((e) => e.type === 'tool.call').length;

describe('pause, resume and stop from another terminal (real engine)', () => {
  it('only the people the plan names may act; pause freezes the case, resume continues it, stop tears it down', async (ctx) => {
    await requireDocker(ctx);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, agent: inlineAgent(BUSY), limits: { ...p.limits, max_steps: 1000, max_wall_time_s: 60 }, gates: [] }));
    const run = execa('node', [path.join(repoRoot, 'bin/agentrt.js'), 'run', file, '--case', 'happy-password-reset'], { cwd: repoRoot, env: { CI: 'true', NO_COLOR: '1' }, reject: false, all: true });
    const runId = await until('the run directory', () => (existsSync(runsDir) ? readdirSync(runsDir)[0] : undefined));
    const runDir = path.join(runsDir, runId);
    const traceFile = path.join(runDir, 'cases', 'happy-password-reset.ndjson');
    await until('live.json and the first tool call', () => (existsSync(path.join(runDir, 'live.json')) && existsSync(traceFile) && toolCalls(traceFile) > 0 ? true : undefined));
    const cli = (...args: string[]) => runCli([...args, '--runs-dir', runsDir]);
    const agentState = async () => {
      const [c] = await new Docker().listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`, `${LABEL_ROLE}=agent`] } });
      return c?.State;
    };

    const refused = await cli('pause', runId, '--by', 'mallory');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/mallory may not pause[\s\S]*controls\.pause lists: support-lead, on-call-engineer/);
    expect((await cli('pause', runId)).stderr).toMatch(/--by <name>/);

    const paused = await cli('pause', runId, '--by', 'support-lead', '--reason', 'checking the refunds');
    expect(paused.exitCode, paused.all).toBe(0);
    expect(paused.stdout).toContain('paused 1 case(s)');
    expect(await agentState()).toBe('paused');
    const frozenAt = toolCalls(traceFile);
    await sleep(1500);
    expect(toolCalls(traceFile)).toBe(frozenAt); // a frozen agent makes no call

    const resumed = await cli('resume', runId, '--by', 'on-call-engineer');
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(await agentState()).toBe('running');
    await until('a call after the resume', () => (toolCalls(traceFile) > frozenAt ? true : undefined));

    const stopped = await cli('stop', runId, '--by', 'head-of-support', '--reason', 'bad refunds');
    expect(stopped.exitCode, stopped.all).toBe(0);
    const done = await run;
    expect(done.exitCode, done.all).toBe(0);
    const ev = events(traceFile);
    expect(ev.filter((e) => e.type === 'control').map((e) => [(e as { action: string }).action, (e as { by: string }).by])).toEqual([
      ['pause', 'support-lead'],
      ['resume', 'on-call-engineer'],
      ['stop', 'head-of-support'],
    ]);
    expect(ev.find((e) => e.type === 'control')).toMatchObject({ reason: 'checking the refunds' });
    expect(ev.at(-1)).toMatchObject({ type: 'case.end', stop: 'stopped', detail: 'stopped by head-of-support: bad refunds' });
    expect(existsSync(path.join(runDir, 'live.json'))).toBe(false);
    expect(await new Docker().listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).toEqual([]);
    const late = await cli('stop', runId, '--by', 'support-lead');
    expect(late.exitCode).toBe(2);
    expect(late.stderr).toMatch(/is not running/);
  }, 120_000);
});
