import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { DockerDriver } from './docker-driver.js';
import { LABEL_RUN, type RunNetwork } from './driver.js';
import { checkHardening } from './hardening.js';
import { dockerProblem, requireDocker } from './test-docker.js';

// One agent run that probes everything from inside the sandbox and prints a JSON report.
const PROBE = (otherPort: number) => `
const net = require('node:net'), fs = require('node:fs'), dns = require('node:dns');
const tryConnect = (host, port) => new Promise((r) => { const s = net.connect({ host, port, timeout: 1500 });
  s.on('connect', () => { s.destroy(); r('connected'); }); s.on('error', (e) => r(e.code)); s.on('timeout', () => { s.destroy(); r('timeout'); }); });
(async () => {
  const out = { uid: process.getuid() };
  try { fs.writeFileSync('/etc/x', 'x'); out.rootWrite = 'ok'; } catch (e) { out.rootWrite = e.code; }
  try { fs.writeFileSync('/workspace/x', 'x'); out.workspaceWrite = 'ok'; } catch (e) { out.workspaceWrite = e.code; }
  out.ticket = fs.readFileSync('/workspace/ticket.json', 'utf8');
  out.capEff = fs.readFileSync('/proc/self/status', 'utf8').match(/CapEff:\\s*(\\w+)/)[1];
  out.gateway = await fetch('http://gateway:8080/').then((r) => r.text()).catch((e) => 'ERR ' + (e.cause && e.cause.code));
  out.otherHostPort = await tryConnect('172.17.0.1', ${otherPort});
  out.hostDockerInternal = await tryConnect('host.docker.internal', ${otherPort});
  out.internet = await tryConnect('1.1.1.1', 443);
  out.dns = await new Promise((r) => dns.lookup('example.com', (e) => r(e ? e.code : 'resolved')));
  console.log(JSON.stringify(out));
})();`;

describe('sandbox isolation (real engine)', () => {
  const driver = new DockerDriver();
  let gateway: http.Server;
  let other: http.Server;
  let net: RunNetwork | undefined;
  const runId = `isolation-${process.pid}`;

  beforeAll(async () => {
    if (await dockerProblem()) return;
    gateway = http.createServer((_q, r) => r.end('hello from the gateway')).listen(0, '0.0.0.0');
    other = http.createServer((_q, r) => r.end('another host service')).listen(0, '0.0.0.0');
    await Promise.all([new Promise((r) => gateway.on('listening', r)), new Promise((r) => other.on('listening', r))]);
    net = await driver.createRunNetwork(runId, (gateway.address() as AddressInfo).port);
  }, 120_000);

  afterAll(async () => {
    if (net) await driver.removeRunNetwork(net);
    gateway?.close();
    other?.close();
  });

  it('reaches the gateway and nothing else; non-root, read-only root, no capabilities; leaves nothing behind', async (ctx) => {
    await requireDocker(ctx);
    const image = await driver.ensureImage('default');
    const handle = await driver.create({
      runId, caseId: 'probe', image, cmd: ['/usr/bin/node', '-e', PROBE((other.address() as AddressInfo).port)], env: {}, workdir: '/workspace',
      resources: { memoryMb: 128, cpus: 0.5, pids: 64 }, network: net!,
    });
    await driver.copyIn(handle, [{ path: 'ticket.json', content: '{"id":"T-1"}' }]);
    let out = '';
    await driver.start(handle, (stream, text) => { if (stream === 'stdout') out += text; });
    const exit = await driver.wait(handle, 30_000);
    await driver.destroy(handle);
    expect(exit).toEqual({ exitCode: 0, oomKilled: false, timedOut: false });
    const report = JSON.parse(out.trim()) as Record<string, string | number>;
    expect(report).toMatchObject({ uid: 1000, rootWrite: 'EROFS', workspaceWrite: 'ok', ticket: '{"id":"T-1"}', capEff: '0000000000000000', gateway: 'hello from the gateway' });
    expect(report.otherHostPort).not.toBe('connected');
    expect(report.hostDockerInternal).not.toBe('connected');
    expect(report.internet).not.toBe('connected');
    expect(report.dns).not.toBe('resolved');
    const left = await new Docker().listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`, 'agentrt.role=agent'] } });
    expect(left).toEqual([]);
  }, 60_000);

  it('kills an agent at its deadline', async (ctx) => {
    await requireDocker(ctx);
    const image = await driver.ensureImage('default');
    const handle = await driver.create({ runId, caseId: 'sleeper', image, cmd: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1000)'], env: {}, workdir: '/workspace', resources: { memoryMb: 64, cpus: 0.5, pids: 32 }, network: net! });
    await driver.start(handle, () => undefined);
    const exit = await driver.wait(handle, 1500);
    await driver.destroy(handle);
    expect(exit.timedOut).toBe(true);
  }, 60_000);

  it('sweep removes everything labelled with the run', async (ctx) => {
    await requireDocker(ctx);
    const image = await driver.ensureImage('default');
    await driver.create({ runId: `${runId}-sweep`, caseId: 'left', image, cmd: ['/usr/bin/node', '-e', '0'], env: {}, workdir: '/workspace', resources: { memoryMb: 64, cpus: 0.5, pids: 32 }, network: net! });
    const removed = await driver.sweep(`${runId}-sweep`);
    expect(removed.containers).toHaveLength(1);
    expect(await new Docker().listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}-sweep`] } })).toEqual([]);
  }, 60_000);
});

describe('hardening check', () => {
  const good = {
    Config: { User: '1000:1000' },
    HostConfig: { CapDrop: ['ALL'], CapAdd: null, SecurityOpt: ['no-new-privileges'], ReadonlyRootfs: true, Memory: 128 * 1024 * 1024, NanoCpus: 5e8, PidsLimit: 64, Init: true, Privileged: false, NetworkMode: 'n', Binds: null },
    Mounts: [{ Type: 'volume', Destination: '/workspace' }],
  };
  const r = { memoryMb: 128, cpus: 0.5, pids: 64 };
  it('accepts a hardened container', () => expect(checkHardening(good, r, 'n')).toEqual([]));
  it('names every field that differs', () => {
    const bad = { ...good, Config: { User: 'root' }, HostConfig: { ...good.HostConfig, CapDrop: [], ReadonlyRootfs: false, PidsLimit: null, NetworkMode: 'bridge' }, Mounts: [{ Type: 'bind', Source: '/', Destination: '/host' }] };
    const problems = checkHardening(bad, r, 'n');
    expect(problems.map((p) => p.split(':')[0])).toEqual(['CapDrop must contain ALL', 'ReadonlyRootfs must be true', 'PidsLimit must be 64', 'NetworkMode must be n', 'no bind mounts from the host', 'User must be non-root']);
  });
});
