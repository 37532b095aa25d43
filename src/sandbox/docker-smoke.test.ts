// The engine answers through dockerode: the offline image is built (or found by its content hash), and one labelled
// container goes through the driver's whole life cycle. Network "none": no relay needed for this one.
import { describe, expect, it } from 'vitest';
import { DockerDriver } from './docker-driver.js';
import { LABEL_RUN, type RunNetwork } from './driver.js';
import { requireDocker } from './test-docker.js';

const NO_NETWORK: RunNetwork = { runId: 'smoke', networkId: 'none', networkName: 'none', relayContainerId: '', gatewayHost: 'gateway', gatewayPort: 0 };

describe('Docker engine through dockerode (real engine)', () => {
  it('builds the offline image, then creates, starts, waits for and removes one labelled container', async (ctx) => {
    await requireDocker(ctx);
    const driver = new DockerDriver();
    const { tag } = await driver.ensureDefaultImage();
    expect((await driver.ensureDefaultImage()).built).toBe(false); // same content hash: found, not rebuilt
    const runId = `smoke-${process.pid}`;
    const handle = await driver.create({
      runId, caseId: 'hello', image: tag, env: { GREETING: 'héllo ✓' }, workdir: '/workspace',
      // Multi-byte output, written in one-byte pieces so characters straddle chunks; a non-zero exit code.
      cmd: ['/usr/bin/node', '-e', `const b = Buffer.from(process.env.GREETING + ' ' + process.getuid() + ' ' + require('fs').readFileSync('in.txt', 'utf8'));
        for (const x of b) require('fs').writeSync(1, Buffer.from([x])); console.error('to stderr'); process.exit(3)`],
      resources: { memoryMb: 128, cpus: 0.5, pids: 32 }, network: { ...NO_NETWORK, runId },
    });
    await driver.copyIn(handle, [{ path: 'in.txt', content: 'from the host' }]);
    const out = { stdout: '', stderr: '' };
    await driver.start(handle, (stream, text) => (out[stream] += text));
    const exit = await driver.wait(handle, 30_000);
    await driver.destroy(handle);
    expect(exit).toEqual({ exitCode: 3, oomKilled: false, timedOut: false });
    expect(out).toEqual({ stdout: 'héllo ✓ 1000 from the host', stderr: 'to stderr\n' });
    const filters = { label: [`${LABEL_RUN}=${runId}`] };
    expect(await driver.docker.listContainers({ all: true, filters })).toEqual([]);
    expect((await driver.docker.listVolumes({ filters })).Volumes ?? []).toEqual([]); // the workspace went with it
    await driver.destroy(handle); // removing twice is not an error
  });
});

describe('agents that cannot run (real engine)', () => {
  const driver = new DockerDriver();
  const spec = async (caseId: string, over: { cmd: string[]; workdir?: string }) => ({
    runId: `smoke-broken-${process.pid}`, caseId, image: (await driver.ensureDefaultImage()).tag, env: {}, workdir: '/workspace',
    resources: { memoryMb: 64, cpus: 0.5, pids: 32 }, network: { ...NO_NETWORK, runId: `smoke-broken-${process.pid}` }, ...over,
  });

  it('a command that does not exist is the agent failing, with the reason in its output', async (ctx) => {
    await requireDocker(ctx);
    const handle = await driver.create(await spec('nocmd', { cmd: ['/no/such/agent'] }));
    let err = '';
    await driver.start(handle, (stream, text) => (stream === 'stderr' ? (err += text) : undefined));
    const exit = await driver.wait(handle, 30_000);
    await driver.destroy(handle);
    expect(exit.exitCode).not.toBe(0);
    expect(err).toMatch(/\/no\/such\/agent/);
  });

  it('a container the engine cannot start is an infrastructure error naming the cause, and leaves nothing behind', async (ctx) => {
    await requireDocker(ctx);
    // Its network disappears between create and start (as when a run is torn down under it): Docker refuses the start.
    const name = `agentrt-smoke-gone-${process.pid}`;
    const net = await driver.docker.createNetwork({ Name: name, Internal: true });
    const handle = await driver.create({ ...(await spec('nostart', { cmd: ['/usr/bin/node', '-e', '0'] })), network: { ...NO_NETWORK, networkId: net.id, networkName: name } });
    await net.remove();
    await expect(driver.start(handle, () => undefined)).rejects.toMatchObject({ code: 'E_DOCKER', exitCode: 3, message: expect.stringMatching(/network .* not found/) });
    await driver.destroy(handle);
    expect(await driver.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=smoke-broken-${process.pid}`] } })).toEqual([]);
  });
});
