// What "hardened" means for a sandbox container, and the check that the engine really applied it. Docker may
// silently ignore or rewrite settings (old engines, rootless, policies), so we inspect and refuse on mismatch.
import type { SandboxResources } from './driver.js';

export const WORKSPACE_TMPFS = 'rw,exec,nosuid,nodev,size=64m,uid=1000,gid=1000,mode=0700';

export function hardenedHostConfig(r: SandboxResources) {
  return {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m,uid=1000,gid=1000,mode=1777' },
    Memory: r.memoryMb * 1024 * 1024,
    MemorySwap: r.memoryMb * 1024 * 1024, // no swap: the memory limit is the limit
    NanoCpus: Math.round(r.cpus * 1e9),
    PidsLimit: r.pids,
    Init: true,
    Privileged: false,
    AutoRemove: false,
  };
}

interface InspectLike {
  Config?: { User?: string };
  HostConfig?: {
    CapDrop?: string[] | null;
    CapAdd?: string[] | null;
    SecurityOpt?: string[] | null;
    ReadonlyRootfs?: boolean;
    Memory?: number;
    NanoCpus?: number;
    PidsLimit?: number | null;
    Init?: boolean | null;
    Privileged?: boolean;
    NetworkMode?: string;
    Binds?: string[] | null;
  };
  Mounts?: Array<{ Type?: string; Source?: string; Destination?: string }>;
}

/** Every way the created container differs from what was asked; empty means hardened. */
export function checkHardening(info: InspectLike, r: SandboxResources, network: string): string[] {
  const h = info.HostConfig ?? {};
  const problems: string[] = [];
  const expect = (ok: boolean, what: string, got: unknown) => {
    if (!ok) problems.push(`${what}: got ${JSON.stringify(got)}`);
  };
  expect((h.CapDrop ?? []).map((c) => c.toUpperCase()).some((c) => c === 'ALL' || c === 'CAP_ALL'), 'CapDrop must contain ALL', h.CapDrop);
  expect(!(h.CapAdd ?? []).length, 'CapAdd must be empty', h.CapAdd);
  expect((h.SecurityOpt ?? []).some((o) => o.startsWith('no-new-privileges')), 'SecurityOpt must contain no-new-privileges', h.SecurityOpt);
  expect(h.ReadonlyRootfs === true, 'ReadonlyRootfs must be true', h.ReadonlyRootfs);
  expect(h.Memory === r.memoryMb * 1024 * 1024, `Memory must be ${r.memoryMb} MB`, h.Memory);
  expect(h.NanoCpus === Math.round(r.cpus * 1e9), `NanoCpus must be ${Math.round(r.cpus * 1e9)}`, h.NanoCpus);
  expect(h.PidsLimit === r.pids, `PidsLimit must be ${r.pids}`, h.PidsLimit);
  expect(h.Init === true, 'Init must be true', h.Init);
  expect(h.Privileged !== true, 'Privileged must be false', h.Privileged);
  expect(h.NetworkMode === network, `NetworkMode must be ${network}`, h.NetworkMode);
  expect(!(h.Binds ?? []).length && !(info.Mounts ?? []).some((m) => m.Type === 'bind'), 'no bind mounts from the host', h.Binds);
  const user = info.Config?.User ?? '';
  expect(user !== '' && !/^(0|root)(:|$)/.test(user), 'User must be non-root', user);
  return problems;
}
