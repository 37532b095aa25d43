// A planned fault through the real engine and the built CLI: the first kb.search fails, the gateway retries under
// the tool's retry policy, the trace records fault, retry and outcome, and the eval reports the retry rate.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, stripAnsi, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import type { TraceEvent } from '../trace/events.js';
import type { RunScores } from '../score/aggregate.js';

const CASES = ['happy-password-reset', 'happy-export-howto'];

describe('faults and retries in the eval (real engine, built CLI)', () => {
  it('a kb.search fault on the first call is retried, recorded and reported with its retry rate', async (ctx) => {
    await requireDocker(ctx);
    const { file, dir, runsDir } = await writePlanVariant((p) => ({
      ...p,
      faults: [{ target: 'kb.search', kind: 'error', when: { nth: 1 } }],
      gates: ['faults.retry_rate <= 0.5'],
    }));
    const json = path.join(dir, 'report.json');
    const r = await runCli(['eval', file, '-j', '2', ...CASES.flatMap((c) => ['--case', c]), '--reporter', 'default', '--reporter', 'json', '-o', json]);
    expect(r.exitCode, r.all).toBe(0);
    const [run] = readdirSync(runsDir);
    let retries = 0;
    let toolCalls = 0;
    for (const id of CASES) {
      const events = readFileSync(path.join(runsDir, run!, 'cases', `${id}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
      const fault = events.find((e) => e.type === 'fault.injected');
      const retry = events.find((e) => e.type === 'retry');
      // The fault, the retry decision and the call's outcome, in that order, on the same call id.
      expect(fault, id).toMatchObject({ target: 'kb.search', kind: 'error' });
      expect(retry, id).toMatchObject({ tool: 'kb.search', call_id: fault!.call_id, attempt: 2, delay_ms: 100 });
      const call = events.find((e) => e.type === 'tool.call' && e.call_id === fault!.call_id);
      expect(call, id).toMatchObject({ ok: true, attempt: 2 });
      expect(fault!.seq).toBeLessThan(retry!.seq);
      expect(retry!.seq).toBeLessThan(call!.seq);
      retries += events.filter((e) => e.type === 'retry').length;
      toolCalls += events.filter((e) => e.type === 'tool.call').length;
    }
    const scores = (JSON.parse(readFileSync(json, 'utf8')) as { scores: RunScores }).scores;
    expect(scores.faults).toMatchObject({ injected: 2, retries, tool_calls: toolCalls, recovered: 2, cases: 2 });
    expect(scores.faults.retry_rate).toBeCloseTo(retries / toolCalls, 9);
    expect(Object.values(scores.faults.outcomes).reduce((a, b) => a + b, 0)).toBe(2);
    const out = stripAnsi(r.stdout);
    expect(out).toMatch(new RegExp(`gateway retries\\s+${retries} \\(retry rate ${((retries / toolCalls) * 100).toFixed(1)}% of ${toolCalls} tool calls\\)`));
    expect(out).toMatch(/recovered by retry\s+2 tool call\(s\)/);
    expect(out).toMatch(/PASS\s+faults\.retry_rate <= 0\.5/);
  }, 120_000);
});
