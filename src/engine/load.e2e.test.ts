// Load: 200 generated cases at -j 8 through the built CLI and the real engine. Every case ends, nothing is left on
// the engine or in the temp directory, and peak memory does not grow with the number of cases (traces stream to
// disk; only per-case scores stay in memory). A behaviour check, not a timing test: `npm run bench` measures speed.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { runCli, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import { LABEL_RUN } from '../sandbox/driver.js';
import { generateCases, samplePeakRss } from '../../bench/load.js';
import type { TraceEvent } from '../trace/events.js';

const docker = new Docker();
const HEAP_CAP_MIB = 48;

/** One eval of n generated copies of a bundled case (the offline reference agent, real model and tool calls). */
async function evalOf(n: number) {
  const casesDir = generateCases(n);
  const { file, runsDir } = await writePlanVariant((p) => ({ ...p, evals: { ...p.evals!, path: casesDir }, gates: [] }));
  // A private temp dir: whatever agentrt (or a library under it) puts in os.tmpdir() lands here and must be gone.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'agentrt-load-tmp-'));
  // A capped heap: V8 collects lazily, so peak RSS alone drifts up with run length even with nothing retained
  // (measured: live heap after full GCs stays 21–25 MiB over 200 cases while RSS climbs ~35 MiB). Under a 48 MiB
  // old space, keeping each case's trace in memory (hundreds of KiB as JS objects) could not finish 200 cases.
  const run = runCli(['eval', file, '-j', '8', '--reporter', 'json'], { env: { TMPDIR: tmp, NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MIB}` } });
  const peak = samplePeakRss(run.pid!);
  const r = await run;
  const peakRss = peak();
  const [runId] = readdirSync(runsDir);
  return { r, n, casesDir, runsDir, runId: runId!, tmp, peakRss };
}

async function leftovers(runId: string) {
  const label = [`${LABEL_RUN}=${runId}`];
  return {
    containers: (await docker.listContainers({ all: true, filters: { label } })).map((c) => c.Names[0]),
    networks: (await docker.listNetworks({ filters: { label } })).map((n) => n.Name),
    volumes: ((await docker.listVolumes({ filters: { label } })).Volumes ?? []).map((v) => v.Name),
  };
}

describe('load (real engine, built CLI)', () => {
  it('200 cases at -j 8: every case ends, nothing is left behind, peak RSS does not grow with the cases', async (ctx) => {
    await requireDocker(ctx);
    const runs = [];
    // Sequential, never side by side: each measurement must be the process alone. 25 cases at -j 8 is three
    // waves, enough for the steady state; 8× more cases must not mean more memory.
    for (const n of [25, 200]) runs.push(await evalOf(n));
    for (const { r, n, runsDir, runId, tmp } of runs) {
      expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
      const results = JSON.parse(r.stdout) as { cases: Array<{ status: string }> };
      expect(results.cases).toHaveLength(n);
      expect(results.cases.filter((c) => c.status === 'infra_error')).toEqual([]);
      const casesDir = path.join(runsDir, runId, 'cases');
      const traces = readdirSync(casesDir).filter((f) => f.endsWith('.ndjson'));
      expect(traces).toHaveLength(n);
      for (const t of traces) {
        const last = JSON.parse(readFileSync(path.join(casesDir, t), 'utf8').trim().split('\n').at(-1)!) as TraceEvent;
        expect(last.type, t).toBe('case.end');
      }
      // No half-written files in the run directory, nothing in the temp directory, nothing on the engine.
      expect(readdirSync(casesDir).filter((f) => !/\.(ndjson|state\.json)$/.test(f))).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
      expect(await leftovers(runId)).toEqual({ containers: [], networks: [], volumes: [] });
    }
    const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
    process.stderr.write(`[load] peak RSS: ${small.n} cases ${(small.peakRss / 2 ** 20).toFixed(1)} MiB, ${large.n} cases ${(large.peakRss / 2 ** 20).toFixed(1)} MiB\n`);
    expect(small.peakRss).toBeGreaterThan(20 * 2 ** 20); // the sampler really read /proc
    expect(large.peakRss).toBeLessThan(1.3 * small.peakRss);
    // The 200-case run finished (above) inside the heap cap: what stays in memory does not scale with traces.
    for (const x of runs) for (const d of [x.casesDir, x.tmp]) rmSync(d, { recursive: true, force: true });
  }, 240_000);
});
