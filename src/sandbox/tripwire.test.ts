// The tripwire without Docker: parsing the relay's report lines, routing hits to cases, the pids check, and the
// relay itself run as a plain host process (it reports a connection to a tripwire port and closes it).
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { inContainerScript } from './image.js';
import { lineSplitter, parseTripwireLine, pidsAtLimit, TripwireRouter, type SandboxViolation } from './tripwire.js';

describe('tripwire lines', () => {
  it('parses the relay report and nothing else', () => {
    expect(parseTripwireLine('tripwire 22 172.18.0.3')).toEqual({ port: 22, ip: '172.18.0.3' });
    expect(parseTripwireLine('tripwire 443 ::ffff:10.0.0.7\r')).toEqual({ port: 443, ip: '10.0.0.7' });
    for (const bad of ['relay ready 8080 -> 172.17.0.1:4000; tripwire 22', 'tripwire 0 1.2.3.4', 'tripwire 70000 1.2.3.4', 'tripwire 22 gateway', ' xtripwire 22 1.2.3.4', 'tripwire 22 1.2.3.4 extra']) {
      expect([bad, parseTripwireLine(bad)]).toEqual([bad, null]);
    }
  });

  it('splits chunks into whole lines, across chunk boundaries', () => {
    const lines: string[] = [];
    const feed = lineSplitter((l) => lines.push(l));
    feed('tripwire 22 1.2');
    feed('.3.4\ntripwire 80 1.2.3.4\ntrip');
    expect(lines).toEqual(['tripwire 22 1.2.3.4', 'tripwire 80 1.2.3.4']);
    feed('wire 81 5.6.7.8\n');
    expect(lines.at(-1)).toBe('tripwire 81 5.6.7.8');
  });
});

describe('TripwireRouter', () => {
  const sink = () => {
    const got: SandboxViolation[] = [];
    return { got, report: (v: SandboxViolation) => got.push(v) };
  };

  it('reports one network_probe per case and port, only to the owner of the source address', () => {
    const r = new TripwireRouter(8080);
    const a = sink(), b = sink();
    r.register('10.0.0.2', 'A', a.report);
    r.register('10.0.0.3', 'B', b.report);
    r.hit({ ip: '10.0.0.2', port: 22 });
    r.hit({ ip: '10.0.0.2', port: 22 });
    r.hit({ ip: '10.0.0.2', port: 2375 });
    expect(a.got.map((v) => v.kind)).toEqual(['network_probe', 'network_probe']);
    expect(a.got[0]!.detail).toMatch(/port 22 of the gateway relay, which forwards only port 8080/);
    expect(b.got).toEqual([]);
  });

  it('holds a hit whose owner is not known yet, and drops it once too old or after the owner left', () => {
    let now = 1000;
    const r = new TripwireRouter(8080, 5000, () => now);
    r.hit({ ip: '10.0.0.2', port: 22 }); // before the driver learned the container's address
    r.hit({ ip: '10.0.0.9', port: 80 });
    now += 6000;
    r.hit({ ip: '10.0.0.2', port: 443 });
    const a = sink();
    r.register('10.0.0.2', 'A', a.report);
    expect(a.got.map((v) => v.detail.match(/port (\d+)/)![1])).toEqual(['443']); // port 22 was held too long
    r.unregister('A');
    r.hit({ ip: '10.0.0.2', port: 3306 });
    expect(a.got).toHaveLength(1);
    const next = sink(); // the address is reused by another case's container: the held hit goes to it, once
    r.register('10.0.0.2', 'C', next.report);
    expect(next.got.map((v) => v.detail.match(/port (\d+)/)![1])).toEqual(['3306']);
  });

  it('pids at the limit, and only then', () => {
    expect(pidsAtLimit({ pids_stats: { current: 32, limit: 32 } }, 32)).toBe(32);
    expect(pidsAtLimit({ pids_stats: { current: 31 } }, 32)).toBeNull();
    expect(pidsAtLimit({}, 32)).toBeNull();
    expect(pidsAtLimit({ pids_stats: { current: 5 } }, 0)).toBeNull(); // no limit known: never claims one was hit
  });
});

describe('relay tripwire (host process)', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill()));
  const freePort = async () => {
    const s = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    return port;
  };

  it('closes a connection to a tripwire port at once and reports it once a second per source and port', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-tripwire-'));
    writeFileSync(path.join(dir, 'relay.mjs'), await inContainerScript('sandbox/relay'));
    const [listen, wire] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [path.join(dir, 'relay.mjs')], {
      env: { RELAY_PORT: String(listen), RELAY_TARGET_HOST: '127.0.0.1', RELAY_TARGET_PORT: '9', RELAY_TRIPWIRE_PORTS: `${wire},${listen}`, PATH: process.env.PATH ?? '' },
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const until = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      return out;
    };
    expect(await until(/relay ready/)).toMatch(new RegExp(`^relay ready ${listen} -> 127\\.0\\.0\\.1:9; tripwire ${wire}\\n`)); // never its own port
    const connectAndRead = () => new Promise<string>((resolve, reject) => {
      const s = net.connect(wire, '127.0.0.1');
      let got = '';
      s.on('data', (d: Buffer) => (got += d));
      s.on('close', () => resolve(`closed ${got}`));
      s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(`closed ${got}`) : reject(e))); // closed with our request unread
      s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    expect(await connectAndRead()).toBe('closed '); // nothing is served, nothing forwarded
    expect(await connectAndRead()).toBe('closed ');
    await until(/tripwire \d+ 127/);
    await new Promise((r) => setTimeout(r, 200));
    expect(out.split('\n').filter((l) => l.startsWith('tripwire'))).toEqual([`tripwire ${wire} 127.0.0.1`]);
  });
});
