// The relay as a plain process on the host (no Docker needed): it forwards to its one target and nothing else.
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { inContainerScript } from './image.js';

async function startRelay(env: Record<string, string>): Promise<{ child: ChildProcess; out: Promise<string> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-relay-'));
  writeFileSync(path.join(dir, 'relay.mjs'), await inContainerScript('sandbox/relay'));
  const child = spawn(process.execPath, [path.join(dir, 'relay.mjs')], { env: { ...env, PATH: process.env.PATH ?? '' } });
  let text = '';
  const out = new Promise<string>((resolve) => {
    child.stdout.on('data', (d: Buffer) => ((text += d), /relay ready/.test(text) && resolve(text)));
    child.stderr.on('data', (d: Buffer) => (text += d));
    child.on('exit', (code) => resolve(`${text}exit ${code}`));
  });
  return { child, out };
}

describe('relay', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill()));

  it('forwards every connection to its one target, whatever the request names', async () => {
    const target = http.createServer((req, res) => res.end(`target saw ${req.headers.host}`)).listen(0, '127.0.0.1');
    await new Promise((r) => target.once('listening', r));
    const free = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => free.once('listening', r));
    const port = (free.address() as AddressInfo).port;
    free.close();
    const { child, out } = await startRelay({ RELAY_PORT: String(port), RELAY_TARGET_HOST: '127.0.0.1', RELAY_TARGET_PORT: String((target.address() as AddressInfo).port) });
    children.push(child);
    expect(await out).toMatch(/^relay ready/);
    // An absolute-form proxy request for another host still lands on the target: the relay is not a proxy.
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: 'http://example.com/', headers: { host: 'example.com' } }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d)).on('end', () => resolve(b));
      }).on('error', reject);
    });
    expect(body).toBe('target saw example.com');
    target.close();
  });

  it('refuses to start without a target', async () => {
    const { out } = await startRelay({ RELAY_PORT: '0' });
    expect(await out).toMatch(/RELAY_TARGET_HOST and RELAY_TARGET_PORT are required[\s\S]*exit 2/);
  });
});
