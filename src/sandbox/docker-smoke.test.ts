import { describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { DockerDriver } from './docker-driver.js';
import { LABEL_RUN } from './driver.js';
import { requireDocker } from './test-docker.js';

describe('Docker engine through dockerode (real engine)', () => {
  it('builds the offline image, then creates, starts, waits for and removes one labelled container', async (ctx) => {
    await requireDocker(ctx);
    const driver = new DockerDriver();
    const { tag } = await driver.ensureDefaultImage();
    expect((await driver.ensureDefaultImage()).built).toBe(false); // same content hash: reused
    const docker = new Docker();
    const c = await docker.createContainer({ Image: tag, Cmd: ['/usr/bin/node', '-e', 'console.log("hello " + process.getuid())'], Labels: { [LABEL_RUN]: 'smoke' } });
    let out = '';
    const stream = await c.attach({ stream: true, stdout: true, stderr: true });
    docker.modem.demuxStream(stream, { write: (b: Buffer) => ((out += b.toString()), true) } as never, process.stderr);
    const waiting = c.wait();
    await c.start();
    expect((await waiting).StatusCode).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('hello 1000');
    await c.remove({ force: true });
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=smoke`] } });
    expect(left).toEqual([]);
  });
});
