// The Docker engine dies mid-eval. agentrt talks to the real engine through a unix-socket proxy (real bytes both
// ways) that the test cuts: every open connection is reset and the socket disappears, which is what agentrt sees
// when dockerd dies. The machine's dockerd is never touched (other tests use it). Then the "engine" comes back
// and `agentrt cleanup` removes what the dead run left.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { inlineAgent, runCli, stripAnsi, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import { LABEL_RUN } from '../sandbox/driver.js';
import type { TraceEvent } from '../trace/events.js';
import type { RunScores } from '../score/aggregate.js';

const engineSocket = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice(7) : '/var/run/docker.sock';

/** A transparent proxy to the engine's socket that can be cut (the engine "dies") and started again. */
function engineProxy(socketPath: string) {
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  return {
    host: `unix://${socketPath}`,
    start: () =>
      new Promise<void>((resolve) => {
        server = net.createServer((client) => {
          const upstream = net.connect(engineSocket);
          for (const s of [client, upstream]) {
            open.add(s);
            s.on('close', () => open.delete(s));
            s.on('error', () => [client, upstream].forEach((x) => x.destroy()));
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(socketPath, resolve);
      }),
    cut: () =>
      new Promise<void>((resolve) => {
        server!.close(() => resolve()); // removes the socket file: new connections get ENOENT
        for (const s of open) s.destroy(); // in-flight calls and attached streams are reset
      }),
  };
}

const FAST = ['happy-export-howto', 'happy-password-reset'];
const SLOW = ['legal-threat-refund', 'oop-free-enterprise', 'privacy-gdpr-delete', 'security-account-compromised'];
const traces = (runsDir: string) => {
  const [run] = existsSync(runsDir) ? readdirSync(runsDir) : [];
  const dir = run ? path.join(runsDir, run, 'cases') : '';
  return { run, dir, files: dir && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')) : [] };
};
const eventsOf = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);

describe('the Docker engine dies mid-run (real engine behind a cut-able proxy, built CLI)', () => {
  it('exits 3 naming the engine, counts unfinished cases as infra errors, keeps traces readable; cleanup removes the rest', async (ctx) => {
    await requireDocker(ctx);
    const proxy = engineProxy(path.join(mkdtempSync(path.join(os.tmpdir(), 'agentrt-engine-')), 'docker.sock'));
    await proxy.start();
    const env = { DOCKER_HOST: proxy.host };
    // Fast cases exit at once; slow ones are still running when the engine goes.
    const agent = inlineAgent(`if (${JSON.stringify(FAST)}.includes(process.env.AGENTRT_CASE_ID)) process.exit(0); setTimeout(() => {}, 60000);`);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, agent, gates: [] }));
    const started = Date.now();
    const run = runCli(['eval', file, '-j', '2', ...[...FAST, ...SLOW].flatMap((c) => ['--case', c])], { env });
    // Cut once both fast cases have ended and two slow agents are running.
    for (;;) {
      const t = traces(runsDir);
      const evs = t.files.map((f) => eventsOf(path.join(t.dir, f)));
      const ended = evs.filter((e) => e.some((x) => x.type === 'case.end')).length;
      const running = evs.filter((e) => e.some((x) => x.type === 'sandbox.start') && !e.some((x) => x.type === 'case.end')).length;
      if (ended >= 2 && running >= 2) break;
      if (Date.now() - started > 60_000) throw new Error(`the slow cases never started: ${JSON.stringify(t)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await proxy.cut();
    const r = await run;
    const err = stripAnsi(r.stderr);
    expect(r.exitCode, r.all).toBe(3);
    expect(err).toContain(`the Docker engine at ${proxy.host} failed during the run: ${SLOW.length} case attempt(s) could not finish`);
    expect(err).toContain(`Docker engine not reachable at ${proxy.host}`);
    expect(err).toMatch(/agentrt cleanup --run \S+/);

    // Every case has a readable trace that ends; those the engine took down are infra errors, not agent failures.
    const t = traces(runsDir);
    expect(t.files.sort()).toEqual([...FAST, ...SLOW].map((c) => `${c}.ndjson`).sort());
    for (const f of t.files) {
      const evs = eventsOf(path.join(t.dir, f));
      const end = evs.at(-1);
      expect(end?.type, f).toBe('case.end');
      const id = f.replace(/\.ndjson$/, '');
      if (SLOW.includes(id)) {
        expect(end, f).toMatchObject({ stop: 'infra_error' });
        expect(evs.some((e) => e.type === 'error' && e.scope === 'infra'), f).toBe(true);
      } else expect(end, f).toMatchObject({ stop: 'completed' });
    }
    const results = JSON.parse(readFileSync(path.join(runsDir, t.run!, 'results.json'), 'utf8')) as { scores: RunScores; cases: Array<{ case_id: string; status: string }> };
    expect(results.scores.errors.infra).toBe(SLOW.length);
    expect(results.scores.attempts).toBe(FAST.length + SLOW.length);
    // The agent's denominators hold only the cases that ran to the end.
    expect(results.scores.cost.per_case_usd).toBe(results.scores.cost.total_usd / FAST.length);
    expect(results.cases.filter((c) => c.status === 'infra_error').map((c) => c.case_id).sort()).toEqual(SLOW);

    // The engine is back: the dead run's containers and network are still there, and cleanup removes them.
    await proxy.start();
    const docker = new Docker({ socketPath: engineSocket });
    const label = [`${LABEL_RUN}=${t.run}`];
    const left = async () => ({
      containers: (await docker.listContainers({ all: true, filters: { label } })).length,
      networks: (await docker.listNetworks({ filters: { label } })).length,
    });
    const c = await runCli(['cleanup', '--run', t.run!], { env });
    expect(c.exitCode, c.all).toBe(0);
    expect(await left()).toEqual({ containers: 0, networks: 0 });
    await proxy.cut();
  }, 180_000);
});
