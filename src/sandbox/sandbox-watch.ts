// What the host watches while an agent container runs, besides its output and exit: connections to the relay's
// tripwire ports (reported on the relay's stdout, attributed by the container's address on the run network) and
// the pids limit being reached (the engine's stats stream, ~1 sample a second). Each becomes a SandboxViolation
// for the case runner to record. Takes the engine typed by the calls it makes, so dockerode stays imported by
// docker-driver.ts alone.
import { call } from './docker-calls.js';
import type { SandboxHandle } from './driver.js';
import { lineSplitter, parseTripwireLine, pidsAtLimit, TripwireRouter, type SandboxViolation } from './tripwire.js';

interface WatchedContainer {
  inspect(): Promise<{ NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> }; HostConfig?: { PidsLimit?: number | null } }>;
  stats(opts: { stream: true }): Promise<unknown>;
}

export interface WatchEngine {
  getContainer(id: string): WatchedContainer;
}

export interface Watching {
  stop(): void;
}

export class SandboxWatch {
  /** One router per run network (by name), fed by that network's relay. */
  private readonly routers = new Map<string, TripwireRouter>();

  constructor(private readonly engine: WatchEngine) {}

  /** The relay's stdout after it is ready, chunk by chunk. */
  relayOutput(networkName: string, forwardPort: number): (text: string) => void {
    const router = new TripwireRouter(forwardPort);
    this.routers.set(networkName, router);
    return lineSplitter((line) => {
      const hit = parseTripwireLine(line);
      if (hit) router.hit(hit);
    });
  }

  relayGone(networkName: string): void {
    this.routers.delete(networkName);
  }

  /** Starts watching a started container; `report` is called once per distinct violation until stop(). */
  async watch(handle: SandboxHandle, report: (v: SandboxViolation) => void): Promise<Watching> {
    let stopped = false;
    const once = new Set<string>();
    const safeReport = (v: SandboxViolation) => {
      if (stopped || once.has(v.detail)) return;
      once.add(v.detail);
      report(v);
    };
    const c = this.engine.getContainer(handle.id);
    const info = await call('container inspect', 10_000, () => c.inspect(), { retry: true });
    const registered: TripwireRouter[] = [];
    for (const [name, n] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
      const router = this.routers.get(name);
      if (router && n.IPAddress) (router.register(n.IPAddress, handle.id, safeReport), registered.push(router));
    }
    const limit = info.HostConfig?.PidsLimit ?? 0;
    const stream = (await call('container stats', 10_000, () => c.stats({ stream: true })).catch((err: unknown) => {
      for (const r of registered) r.unregister(handle.id);
      throw err;
    })) as NodeJS.ReadableStream & { destroy?: () => void };
    let reportedPids = false;
    const onLine = lineSplitter((line) => {
      if (reportedPids || !line.trim()) return;
      let sample: { pids_stats?: { current?: number } };
      try {
        sample = JSON.parse(line) as typeof sample;
      } catch {
        return;
      }
      const current = pidsAtLimit(sample, limit);
      if (current === null) return;
      reportedPids = true;
      safeReport({ kind: 'pids_limit', detail: `the agent reached the sandbox pids limit (${current} of ${limit} processes and threads); further forks were refused` });
    });
    stream.on('data', (d: Buffer) => onLine(d.toString('utf8'))); // stats are ASCII JSON, one object a line
    stream.on('error', () => undefined); // ends with the container; nothing to record
    return {
      stop: () => {
        stopped = true;
        stream.destroy?.();
        for (const r of registered) r.unregister(handle.id);
      },
    };
  }
}
