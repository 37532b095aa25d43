import { afterEach, describe, expect, it } from 'vitest';
import { InfraError } from '../errors.js';
import { call, dockerStatus, toInfraError } from './docker-calls.js';
import { DockerDriver } from './docker-driver.js';

const httpError = (statusCode: number) => Object.assign(new Error(`(HTTP code ${statusCode}) boom`), { statusCode });

describe('bounded Docker calls', () => {
  it('retries an idempotent call on a 5xx, then succeeds', async () => {
    let n = 0;
    const v = await call('inspect', 1000, async () => (++n < 3 ? Promise.reject(httpError(500)) : 'ok'), { retry: true });
    expect([v, n]).toEqual(['ok', 3]);
  });

  it('does not retry a 404 and keeps its status readable through the InfraError', async () => {
    let n = 0;
    const err = await call('inspect', 1000, async () => { n++; throw httpError(404); }, { retry: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect([dockerStatus(err), n]).toEqual([404, 1]);
  });

  it('never retries a call that is not idempotent', async () => {
    let n = 0;
    await expect(call('create', 1000, async () => { n++; throw httpError(500); })).rejects.toMatchObject({ code: 'E_DOCKER', exitCode: 3 });
    expect(n).toBe(1);
  });

  it('turns a call that hangs into E_DOCKER_TIMEOUT', async () => {
    await expect(call('start', 50, () => new Promise(() => undefined))).rejects.toMatchObject({ code: 'E_DOCKER_TIMEOUT', exitCode: 3 });
  });

  it('names the engine address and the fix when the socket is gone', () => {
    const err = toInfraError(Object.assign(new Error('connect ENOENT /x.sock'), { code: 'ENOENT' }), 'container list');
    expect(err).toMatchObject({ code: 'E_DOCKER_UNREACHABLE', exitCode: 3 });
    expect(err.details.join(' ')).toMatch(/DOCKER_HOST/);
  });
});

describe('a dead engine is an infrastructure error (exit 3), whatever the call', () => {
  const saved = process.env.DOCKER_HOST;
  afterEach(() => (saved === undefined ? delete process.env.DOCKER_HOST : (process.env.DOCKER_HOST = saved)));

  it('ping, sweep, ensureImage and destroy all fail with E_DOCKER_UNREACHABLE', async () => {
    process.env.DOCKER_HOST = 'unix:///tmp/agentrt-no-such-docker.sock';
    const driver = new DockerDriver();
    for (const attempt of [() => driver.ping(), () => driver.sweep(), () => driver.ensureImage('default'), () => driver.destroy({ id: 'x', runId: 'r', caseId: 'c' })]) {
      const err = await attempt().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InfraError);
      expect(err).toMatchObject({ code: 'E_DOCKER_UNREACHABLE', exitCode: 3 });
      expect((err as Error).message).toContain('/tmp/agentrt-no-such-docker.sock');
    }
  });
});
