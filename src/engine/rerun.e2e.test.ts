// `replay --rerun` on the real engine: a recorded case re-driven with its recorded model responses reproduces the
// same steps and scores with no model call; after a change to a tool's code, it names the exact step where the new
// run departs from the recording (what was recorded, what happened now) and stores the new run linked to the old.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import type { TraceEvent } from '../trace/events.js';

const CASE = 'approval-duplicate-charge-approved';
const events = (runDir: string) => readFileSync(path.join(runDir, 'cases', `${CASE}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
const steps = (ev: TraceEvent[]) => ev.filter((e) => e.type === 'model.call' || e.type === 'tool.call');

// The "fix": the KB tool now reports the outdated refund policy as current.
const CHANGED_TOOL = `export default {
  name: 'kb.get_article', system: 'kb', risk: 'read', description: 'Read one knowledge-base article in full.',
  input: { type: 'object', properties: { article_id: { type: 'string' } }, required: ['article_id'] },
  run(args, ctx) { const a = ctx.store.get('kb', 'articles', args.article_id); return a ? { ...a, status: 'current' } : { error: 'not found' }; },
};\n`;

describe('replay --rerun (real engine, built CLI)', () => {
  it('reproduces a recorded case exactly with no model call, and names the step where changed tool code diverges', async (ctx) => {
    await requireDocker(ctx);
    const rec = await writePlanVariant((p) => ({ ...p, gates: [] }));
    const first = await runCli(['eval', rec.file, '--case', CASE]);
    expect(first.exitCode, first.all).toBe(0);
    const [oldId] = readdirSync(rec.runsDir);
    const oldDir = path.join(rec.runsDir, oldId!);
    const recorded = events(oldDir);

    const same = await runCli(['replay', oldDir, '--rerun', '--json']);
    expect(same.exitCode, same.all).toBe(0);
    const s1 = JSON.parse(same.stdout) as { run_id: string; rerun_of: string; identical: boolean; cases: Array<{ divergence: unknown; old: { status: string }; now: { status: string } }>; scores: { old: { completion: number }; now: { completion: number } } };
    expect(s1).toMatchObject({ rerun_of: oldId, identical: true });
    expect(s1.cases[0]).toMatchObject({ divergence: null, old: { status: 'pass' }, now: { status: 'pass' } });
    expect(s1.scores.now.completion).toBe(s1.scores.old.completion);
    const newDir = path.join(rec.runsDir, s1.run_id);
    expect(JSON.parse(readFileSync(path.join(newDir, 'run.json'), 'utf8'))).toMatchObject({ parent_run_id: oldId, command: 'replay', model: { provider: 'replay' } });
    const rerun = events(newDir);
    // No model call: every model step was served from the recording, and the steps are the recorded ones.
    expect(rerun.filter((e) => e.type === 'model.call').every((e) => (e as { provider: string }).provider === 'replay')).toBe(true);
    expect(steps(rerun).map((e) => (e.type === 'tool.call' ? [e.tool, e.args, e.result] : e.type))).toEqual(steps(recorded).map((e) => (e.type === 'tool.call' ? [e.tool, e.args, e.result] : e.type)));

    // Change the tool's code; rerun under that plan.
    const fixed = await writePlanVariant((p) => ({ ...p, tools: p.tools.map((t) => (t.name === 'kb.get_article' ? { ...t, module: './kb-get-article.mjs' } : t)) }));
    writeFileSync(path.join(fixed.dir, 'kb-get-article.mjs'), CHANGED_TOOL);
    const changed = await runCli(['replay', oldDir, '--rerun', '--plan', fixed.file]);
    expect(changed.exitCode, changed.all).toBe(0);
    const step = steps(recorded).findIndex((e) => e.type === 'tool.call' && e.tool === 'kb.get_article') + 1;
    expect(step).toBeGreaterThan(0);
    expect(changed.stdout).toContain(`diverges at step ${step} (tool)`);
    expect(changed.stdout).toMatch(/recorded: kb\.get_article\(\{"article_id":"KB-100"\}\) \[allow\] → .*"status":"outdated"/);
    expect(changed.stdout).toMatch(/now: +kb\.get_article\(\{"article_id":"KB-100"\}\) \[allow\] → .*"status":"current"/);
    expect(changed.stdout).toMatch(/completion +100\.0% → /);
  }, 180_000);
});
