// Sandbox isolation on the real engine. One probe agent checks many things in one run (containers are not free on
// a 2-core machine): it must reach the gateway through the relay and nothing else on the host or beyond.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InfraError } from '../errors.js';
import { DockerDriver } from './docker-driver.js';
import { LABEL_RUN, type RunNetwork, type SandboxSpec } from './driver.js';
import { networkGateway } from './run-network.js';
import { dockerProblem, requireDocker } from './test-docker.js';

const PROBE = `
const net = require('node:net'), fs = require('node:fs'), dns = require('node:dns');
const targets = JSON.parse(fs.readFileSync('/workspace/targets.json', 'utf8'));
// The overall timer also bounds the name lookup, which a socket timeout does not.
const tryConnect = (host, port) => new Promise((r) => { const s = net.connect({ host, port });
  const t = setTimeout(() => { s.destroy(); r('timeout'); }, 2000);
  s.on('connect', () => { clearTimeout(t); s.destroy(); r('connected'); }); s.on('error', (e) => { clearTimeout(t); r(e.code); }); });
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
(async () => {
  const out = { uid: process.getuid(), gid: process.getgid() };
  out.rootWrite = attempt(() => fs.writeFileSync('/etc/x', 'x'));
  out.workspaceWrite = attempt(() => fs.writeFileSync('/workspace/x', 'x'));
  out.ticket = fs.readFileSync('/workspace/ticket.json', 'utf8');
  out.capEff = fs.readFileSync('/proc/self/status', 'utf8').match(/CapEff:\\s*(\\w+)/)[1];
  out.noNewPrivs = fs.readFileSync('/proc/self/status', 'utf8').match(/NoNewPrivs:\\s*(\\d)/)[1];
  out.gateway = await fetch('http://gateway:' + targets.relayPort + '/').then((r) => r.text()).catch((e) => 'ERR ' + (e.cause && e.cause.code));
  const probes = { otherOnBridge: [targets.bridgeIp, targets.otherPort], gatewayDirect: [targets.bridgeIp, targets.gatewayPort],
    otherOnNetworkGateway: [targets.networkGateway, targets.otherPort], internet: ['1.1.1.1', 443], relayOtherPort: ['gateway', 4444] };
  // (Not 22: the relay's common ports are tripwires that accept, close and report; see the escape suite.)
  // Names through c-ares with a timeout: a getaddrinfo left hanging in node's thread pool delays the exit for seconds.
  const resolver = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
  const viaName = (name, port) => resolver.resolve4(name).then(([ip]) => tryConnect(ip, port), (e) => e.code);
  // All at once: a dropped packet costs a timeout, and the DNS lookup several seconds of resolver retries.
  await Promise.all([...Object.entries(probes).map(async ([name, [host, port]]) => (out[name] = await tryConnect(host, port))),
    viaName('host.docker.internal', targets.otherPort).then((r) => (out.hostDockerInternal = r)),
    // Docker's embedded DNS server, one try: a host resolver it could forward to would answer in milliseconds.
    resolver.resolve4('example.com').then(() => 'resolved', (e) => e.code).then((r) => (out.dns = r))]);
  console.log(JSON.stringify(out));
})();`;

const listen = (handler: http.RequestListener) =>
  new Promise<http.Server>((resolve) => {
    const s = http.createServer(handler).listen(0, '0.0.0.0', () => resolve(s));
  });
const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

describe('sandbox isolation (real engine)', () => {
  const driver = new DockerDriver();
  let gateway: http.Server;
  let other: http.Server;
  let net: RunNetwork | undefined;
  const runId = `isolation-${process.pid}`;
  const spec = (caseId: string, cmd: string[], over: Partial<SandboxSpec> = {}): Promise<SandboxSpec> =>
    driver.ensureImage('default').then((image) => ({ runId, caseId, image, cmd, env: {}, workdir: '/workspace', resources: { memoryMb: 96, cpus: 0.5, pids: 64 }, network: net!, ...over }));

  beforeAll(async () => {
    if (await dockerProblem()) return;
    gateway = await listen((_q, r) => r.end('hello from the gateway'));
    other = await listen((_q, r) => r.end('another host service'));
    net = await driver.createRunNetwork(runId, portOf(gateway));
  });

  afterAll(async () => {
    if (net) await driver.removeRunNetwork(net);
    if (!(await dockerProblem())) await driver.sweep(runId); // whatever a failed test left
    gateway?.close();
    other?.close();
  });

  it('reaches the gateway and nothing else; non-root, read-only root, no capabilities; leaves nothing behind', async (ctx) => {
    await requireDocker(ctx);
    const bridge = await driver.docker.getNetwork('bridge').inspect();
    const targets = {
      relayPort: net!.gatewayPort, gatewayPort: portOf(gateway), otherPort: portOf(other),
      bridgeIp: (bridge as { IPAM: { Config: Array<{ Gateway: string }> } }).IPAM.Config[0]!.Gateway,
      networkGateway: (await networkGateway(driver.docker, net!.networkId)) ?? '',
    };
    expect(targets.networkGateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/); // Docker did allocate it; it must not answer
    const handle = await driver.create(await spec('probe', ['/usr/bin/node', '-e', PROBE]));
    await driver.copyIn(handle, [{ path: 'ticket.json', content: '{"id":"T-1"}' }, { path: 'targets.json', content: JSON.stringify(targets) }]);
    let out = '';
    await driver.start(handle, (stream, text) => (stream === 'stdout' ? (out += text) : undefined));
    const exit = await driver.wait(handle, 45_000);
    await driver.destroy(handle);
    expect(exit).toEqual({ exitCode: 0, oomKilled: false, timedOut: false });
    const report = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(report).toMatchObject({
      uid: 1000, gid: 1000, rootWrite: 'EROFS', workspaceWrite: 'ok', ticket: '{"id":"T-1"}', capEff: '0000000000000000', noNewPrivs: '1',
      gateway: 'hello from the gateway',
    });
    for (const blocked of ['otherOnBridge', 'gatewayDirect', 'otherOnNetworkGateway', 'hostDockerInternal', 'internet', 'relayOtherPort']) {
      expect([blocked, report[blocked]]).not.toEqual([blocked, 'connected']);
    }
    expect(report.dns).not.toBe('resolved');
    const left = await driver.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`, 'agentrt.role=agent'] } });
    expect(left).toEqual([]);
  });

  it('kills an agent at its deadline, and another when the run is aborted', async (ctx) => {
    await requireDocker(ctx);
    const forever = ['/usr/bin/node', '-e', 'setInterval(() => {}, 1000)'];
    const [a, b] = await Promise.all([driver.create(await spec('deadline', forever)), driver.create(await spec('aborted', forever))]);
    await Promise.all([driver.start(a, () => undefined), driver.start(b, () => undefined)]);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    const started = Date.now();
    const [ea, eb] = await Promise.all([driver.wait(a, 1500), driver.wait(b, 60_000, abort.signal)]);
    await Promise.all([driver.destroy(a), driver.destroy(b)]);
    expect(ea).toMatchObject({ timedOut: true, oomKilled: false });
    expect(ea.exitCode).not.toBe(0);
    expect(eb).toMatchObject({ timedOut: false, oomKilled: false });
    expect(eb.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses a container whose hardening is not what was asked, and removes it', async (ctx) => {
    await requireDocker(ctx);
    const s = await spec('soft', ['/usr/bin/node', '-e', '0']);
    // Created behind the driver's back without CapDrop, read-only root or limits: what an engine that ignored them would give.
    const c = await driver.docker.createContainer({ Image: s.image, Cmd: s.cmd, User: '1000:1000', Labels: { [LABEL_RUN]: runId }, HostConfig: { NetworkMode: 'none' } });
    const err = await driver.verifyHardening({ id: c.id, runId, caseId: 'soft' }, s.resources, 'none', true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect(err).toMatchObject({ code: 'E_SANDBOX_HARDENING', exitCode: 3 });
    expect((err as InfraError).details.join('\n')).toMatch(/CapDrop must contain ALL[\s\S]*ReadonlyRootfs must be true[\s\S]*Init must be true/);
    await expect(c.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('sweep removes every container, network and volume of a run, and reports them', async (ctx) => {
    await requireDocker(ctx);
    const sweepRun = `${runId}-sweep`;
    const sweepNet = await driver.createRunNetwork(sweepRun, portOf(gateway));
    await driver.create(await spec('left', ['/usr/bin/node', '-e', '0'], { runId: sweepRun, network: sweepNet }));
    // A removal interrupted half-way: the container is gone, its workspace volume is not.
    const half = await driver.create(await spec('half', ['/usr/bin/node', '-e', '0'], { runId: sweepRun, network: sweepNet }));
    await driver.docker.getContainer(half.id).remove({ force: true });
    const removed = await driver.sweep(sweepRun);
    expect(removed.containers.map((c) => c.replace(/^.*\((\w+), run .*$/, '$1')).sort()).toEqual(['agent', 'relay']);
    expect(removed.networks).toEqual([`agentrt-${sweepRun}`]);
    expect(removed.volumes).toHaveLength(1);
    const filters = { label: [`${LABEL_RUN}=${sweepRun}`] };
    expect(await driver.docker.listContainers({ all: true, filters })).toEqual([]);
    expect(await driver.docker.listNetworks({ filters })).toEqual([]);
    expect((await driver.docker.listVolumes({ filters })).Volumes ?? []).toEqual([]);
    expect(await driver.sweep(sweepRun)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('a named image that is not on the engine is an infrastructure error that explains there is no registry', async (ctx) => {
    await requireDocker(ctx);
    const err = await driver.ensureImage('agentrt-test/not-here:1').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_IMAGE_MISSING', exitCode: 3 });
    expect((err as InfraError).message).toMatch(/never pulls from a registry/);
  });
});
