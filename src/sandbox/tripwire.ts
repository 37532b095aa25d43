// Host side of the relay's tripwire, and of the other things the host can see a sandbox do (pids limit reached).
// Pure: parsing the relay's report lines and routing each hit to the case whose container holds the source address.
// The relay only knows an IP; the driver learns each agent container's IP just after it starts, so a hit can arrive
// before its owner is known: it is held briefly and delivered when the owner registers.

/** Service ports an escaping agent tries first on the one host it can reach (ssh, web, docker API, databases…). */
export const TRIPWIRE_PORTS = [22, 23, 25, 53, 80, 443, 2375, 2376, 3000, 3306, 5000, 5432, 6379, 8000, 8081, 8443, 9000, 9200, 11434, 27017];

/** What the host observed a sandbox do, recorded as a `violation` in the case's trace. */
export interface SandboxViolation {
  kind: 'network_probe' | 'pids_limit';
  detail: string;
}

export interface TripwireHit {
  port: number;
  ip: string;
}

/** `tripwire <port> <ip>` (one relay stdout line) → the hit; anything else → null. */
export function parseTripwireLine(line: string): TripwireHit | null {
  const m = /^tripwire (\d{1,5}) (?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(line.trim());
  if (!m) return null;
  const port = Number(m[1]);
  return port > 0 && port < 65536 ? { port, ip: m[2]! } : null;
}

/** Splits a stream of text chunks into whole lines (a line may be cut across chunks). */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    if (rest.length > 4096) rest = ''; // no line of ours is that long: drop garbage rather than grow
    for (const p of parts) onLine(p);
  };
}

interface Owner {
  id: string;
  report: (v: SandboxViolation) => void;
  ports: Set<number>;
}

/** Routes tripwire hits of one run network to the case that owns the source IP; one violation per case and port. */
export class TripwireRouter {
  private readonly owners = new Map<string, Owner>();
  private pending: Array<TripwireHit & { at: number }> = [];

  constructor(
    private readonly forwardPort: number,
    private readonly holdMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(h: TripwireHit): void {
    const owner = this.owners.get(h.ip);
    if (owner) return this.deliver(owner, h);
    // Unknown yet (the container's address is still being looked up), or not an agent of this run: hold it.
    this.pending = this.pending.filter((p) => this.now() - p.at < this.holdMs).slice(-200);
    this.pending.push({ ...h, at: this.now() });
  }

  register(ip: string, id: string, report: (v: SandboxViolation) => void): void {
    const owner: Owner = { id, report, ports: new Set() };
    this.owners.set(ip, owner);
    const fresh = this.pending.filter((p) => this.now() - p.at < this.holdMs);
    this.pending = fresh.filter((p) => p.ip !== ip);
    for (const p of fresh) if (p.ip === ip) this.deliver(owner, p);
  }

  unregister(id: string): void {
    for (const [ip, o] of this.owners) if (o.id === id) this.owners.delete(ip);
  }

  private deliver(owner: Owner, h: TripwireHit): void {
    if (owner.ports.has(h.port)) return;
    owner.ports.add(h.port);
    owner.report({ kind: 'network_probe', detail: `connected to port ${h.port} of the gateway relay, which forwards only port ${this.forwardPort}; the connection was closed` });
  }
}

/** A pids sample from the engine's stats: at the limit means the kernel is refusing new processes or threads. */
export function pidsAtLimit(sample: { pids_stats?: { current?: number; limit?: number } }, limit: number): number | null {
  const current = sample.pids_stats?.current;
  return typeof current === 'number' && limit > 0 && current >= limit ? current : null;
}
