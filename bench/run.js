// `npm run bench`: agentrt's runtime overhead, measured on this machine in one run, against its budget.
// Prints a table, writes bench/results.json. It never fails CI: budget lines say PASS or FAIL.
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify, parse } from 'yaml';
import { DockerDriver } from '../dist/sandbox/docker-driver.js';
import { startGateway } from '../dist/gateway/server.js';
import { gatewayLatency } from './latency.js';
import { generateCases, root, samplePeakRss } from './load.js';

const cli = path.join(root, 'bin/agentrt.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s) => process.stderr.write(s + '\n');

/** The bundled plan with absolute paths, an optional agent override, traces in a temp dir. */
function planVariant(edit = (p) => p) {
  const plan = parse(readFileSync(path.join(root, 'runtime-plans/support-triage.yaml'), 'utf8'));
  const abs = (p) => path.resolve(root, 'runtime-plans', p);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-bench-'));
  plan.systems = plan.systems.map((s) => ({ ...s, fixtures: abs(s.fixtures) }));
  plan.agent.reference && (plan.agent.reference.prompt = abs(plan.agent.reference.prompt));
  plan.evals.path = abs(plan.evals.path);
  plan.logging = { ...plan.logging, trace_dir: path.join(dir, 'runs') };
  plan.gates = [];
  const out = edit(plan, dir);
  writeFileSync(path.join(dir, 'plan.yaml'), stringify(out));
  return { file: path.join(dir, 'plan.yaml'), dir, runsDir: path.join(dir, 'runs') };
}

async function bareDockerRun(image, n, network = 'none') {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await execa('docker', ['run', '--rm', '--network', network, image, '/usr/bin/node', '-e', '0']);
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Per-case overhead, broken down from the trace timestamps of a do-nothing agent. */
function overheadFromTraces(runsDir) {
  const [run] = readdirSync(runsDir);
  const dir = path.join(runsDir, run, 'cases');
  const parts = { create: [], start: [], agent: [], teardown: [], total: [] };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
    const ev = readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const at = (type) => ev.find((e) => e.type === type)?.t_ms;
    parts.create.push(at('sandbox.create'));
    parts.start.push(at('sandbox.start') - at('sandbox.create'));
    parts.agent.push(at('sandbox.exit') - at('sandbox.start'));
    parts.teardown.push(at('sandbox.destroy') - at('sandbox.exit'));
    parts.total.push(at('case.end'));
  }
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, median(v)]));
}

/** Runs `agentrt eval` and samples the process's peak RSS (VmHWM) from /proc. */
async function evalRun(file, args) {
  const t = performance.now();
  const child = execa('node', [cli, 'eval', file, ...args], { env: { CI: 'true' }, reject: false });
  const stop = samplePeakRss(child.pid);
  const r = await child;
  const peak = stop();
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`eval failed (${r.exitCode}): ${r.stderr.slice(-500)}`);
  return { seconds: (performance.now() - t) / 1000, peakRss: peak };
}

async function main() {
  const results = { machine: { cpus: os.cpus().length, node: process.version, at: new Date().toISOString() } };
  const driver = new DockerDriver();
  let t = performance.now();
  const { tag } = await driver.ensureDefaultImage();
  results.image_check_ms = Math.round(performance.now() - t);
  log(`image ${tag}; bare docker run ×20…`);
  results.bare_docker_run_ms = Math.round(await bareDockerRun(tag, 20));
  // Like for like: the same bare run attached to an internal, host-less network as agentrt's sandboxes are.
  await execa('docker', ['network', 'create', '--internal', '-o', 'com.docker.network.bridge.inhibit_ipv4=true', 'agentrt-bench-net']).catch(() => undefined);
  results.bare_docker_run_internal_net_ms = Math.round(await bareDockerRun(tag, 20, 'agentrt-bench-net'));
  await execa('docker', ['network', 'rm', 'agentrt-bench-net']).catch(() => undefined);

  log('per-case overhead: 20 cases of a do-nothing agent, -j 1…');
  const doNothing = planVariant((p) => ({ ...p, agent: { command: ['/usr/bin/node', '-e', '0'], workdir: '/workspace' } }));
  const cases20 = generateCases(20);
  const v20 = planVariant((p) => ({ ...p, agent: { command: ['/usr/bin/node', '-e', '0'], workdir: '/workspace' }, evals: { path: cases20 } }));
  await evalRun(v20.file, ['-j', '1']);
  const o = overheadFromTraces(v20.runsDir);
  t = performance.now();
  const gw = await startGateway({ host: '127.0.0.1' });
  const gwStart = performance.now() - t;
  await gw.close();
  results.per_case_ms = { container_create: o.create, copy_in_and_start: o.start, agent_run: o.agent, teardown: o.teardown, total: o.total, gateway_setup_per_run: Math.round(gwStart * 100) / 100 };
  results.overhead_ratio = Math.round((o.total / results.bare_docker_run_ms) * 100) / 100;
  results.overhead_ratio_same_network = Math.round((o.total / results.bare_docker_run_internal_net_ms) * 100) / 100;

  results.throughput = {};
  let traceBytes = 0;
  let traceFiles = 0;
  for (const j of [1, 2, 4, 8]) {
    log(`throughput: bundled eval (41 cases) at -j ${j}…`);
    const v = planVariant();
    const r = await evalRun(v.file, ['-j', String(j)]);
    const [run] = readdirSync(v.runsDir);
    const files = readdirSync(path.join(v.runsDir, run, 'cases')).filter((n) => n.endsWith('.ndjson'));
    results.throughput[`j${j}`] = Math.round((files.length / r.seconds) * 100) / 100;
    for (const f of files) traceBytes += statSync(path.join(v.runsDir, run, 'cases', f)).size;
    traceFiles += files.length;
  }
  results.trace_bytes_per_case = Math.round(traceBytes / traceFiles);

  log('gateway added latency (model call, tool call) ×500…');
  results.gateway_added_latency_ms = await gatewayLatency(500);

  for (const n of [100, 1000]) {
    log(`peak RSS: eval of ${n} generated cases, do-nothing agent, -j 8…`);
    const dir = generateCases(n);
    const v = planVariant((p) => ({ ...p, agent: { command: ['/usr/bin/node', '-e', '0'], workdir: '/workspace' }, evals: { path: dir } }));
    const r = await evalRun(v.file, ['-j', '8']);
    results[`peak_rss_mb_${n}`] = Math.round((r.peakRss / 1024 / 1024) * 10) / 10;
  }
  void doNothing;

  const budget = [
    ['per-case overhead ≤ 1.3× bare docker run', results.overhead_ratio <= 1.3, `${results.overhead_ratio}×`],
    ['gateway p50 added latency ≤ 1 ms (model)', results.gateway_added_latency_ms.model.p50 <= 1, `${results.gateway_added_latency_ms.model.p50} ms`],
    ['gateway p50 added latency ≤ 1 ms (tool)', results.gateway_added_latency_ms.tool.p50 <= 1, `${results.gateway_added_latency_ms.tool.p50} ms`],
    ['peak RSS at 1,000 cases ≤ 1.2× at 100', results.peak_rss_mb_1000 <= 1.2 * results.peak_rss_mb_100, `${results.peak_rss_mb_1000} MB vs ${results.peak_rss_mb_100} MB`],
  ];
  results.budget = budget.map(([name, pass, value]) => ({ name, pass, value }));
  mkdirSync(path.join(root, 'bench'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

  const rows = [
    ['bare `docker run --rm` (median of 20)', `${results.bare_docker_run_ms} ms`],
    ['bare `docker run --rm` on an internal network', `${results.bare_docker_run_internal_net_ms} ms`],
    ['image check (content hash, per run)', `${results.image_check_ms} ms`],
    ['gateway setup (per run)', `${results.per_case_ms.gateway_setup_per_run} ms`],
    ['per case: container create', `${results.per_case_ms.container_create} ms`],
    ['per case: copy in + start', `${results.per_case_ms.copy_in_and_start} ms`],
    ['per case: agent run (node -e 0)', `${results.per_case_ms.agent_run} ms`],
    ['per case: teardown', `${results.per_case_ms.teardown} ms`],
    ['per case: total (median of 20)', `${results.per_case_ms.total} ms (${results.overhead_ratio}× bare, ${results.overhead_ratio_same_network}× bare on the same kind of network)`],
    ...Object.entries(results.throughput).map(([j, v]) => [`throughput, offline eval, -${j.replace('j', 'j ')}`, `${v} cases/s`]),
    ['gateway added latency, model call p50 / p99', `${results.gateway_added_latency_ms.model.p50} / ${results.gateway_added_latency_ms.model.p99} ms`],
    ['gateway added latency, tool call p50 / p99', `${results.gateway_added_latency_ms.tool.p50} / ${results.gateway_added_latency_ms.tool.p99} ms`],
    ['peak RSS, 100 cases', `${results.peak_rss_mb_100} MB`],
    ['peak RSS, 1,000 cases', `${results.peak_rss_mb_1000} MB`],
    ['trace size per case', `${(results.trace_bytes_per_case / 1024).toFixed(1)} KiB`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));
  console.log('\nBudget');
  for (const b of results.budget) console.log(`  ${b.pass ? 'PASS' : 'FAIL'}  ${b.name}  (${b.value})`);
  console.log('\nwritten to bench/results.json');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
