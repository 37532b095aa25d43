// Replay: a recorded run's model responses re-drive the case in a fresh sandbox with no model call; the same code
// reproduces the same outcome, and a changed tool result is reported as the first divergence.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import type { TraceEvent } from '../trace/events.js';

const events = (runsDir: string, caseId: string) => {
  const [run] = readdirSync(runsDir);
  return readFileSync(path.join(runsDir, run!, 'cases', `${caseId}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
};
const toolCalls = (ev: TraceEvent[]) => ev.filter((e) => e.type === 'tool.call').map((e) => [(e as { tool: string }).tool, (e as { args: unknown }).args]);

describe('replay provider (real engine)', () => {
  it('reproduces a recorded case without a model call, and names the first divergence after a change', async (ctx) => {
    await requireDocker(ctx);
    const rec = await writePlanVariant((p) => p, { runsInRepo: true });
    expect((await runCli(['run', rec.file, '--case', 'happy-password-reset'])).exitCode).toBe(0);
    const [recorded] = readdirSync(rec.runsDir);
    const original = events(rec.runsDir, 'happy-password-reset');
    const cassette = path.join(rec.runsDir, recorded!);

    const same = await writePlanVariant((p) => ({ ...p, model: { ...p.model, provider: 'replay', cassette } }));
    const r1 = await runCli(['run', same.file, '--case', 'happy-password-reset']);
    expect(r1.exitCode, r1.all).toBe(0);
    const replayed = events(same.runsDir, 'happy-password-reset');
    expect(toolCalls(replayed)).toEqual(toolCalls(original));
    expect(replayed.filter((e) => e.type === 'model.call').every((e) => (e as { provider: string }).provider === 'replay')).toBe(true);
    expect(replayed.at(-1)).toMatchObject({ type: 'case.end', stop: 'completed' });

    // Change what a tool returns (the KB article): the agent now sends a different conversation.
    const changed = await writePlanVariant((p) => ({ ...p, model: { ...p.model, provider: 'replay', cassette }, tools: p.tools.filter((t) => t.name !== 'kb.get_article') }));
    const r2 = await runCli(['run', changed.file, '--case', 'happy-password-reset']);
    expect(r2.exitCode, r2.all).toBe(0);
    const diverged = events(changed.runsDir, 'happy-password-reset');
    const failed = diverged.find((e) => e.type === 'model.call' && (e as { error?: string }).error) as { error: string } | undefined;
    expect(failed?.error).toMatch(/diverges at model call 1, message 0|diverges at model call \d+/);
  }, 180_000);
});
