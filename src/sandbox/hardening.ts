// What "hardened" means for a sandbox container, and the check that the engine really applied it. Docker may
// silently ignore or rewrite settings (old engines, rootless, policies, plugins), so we inspect and refuse on mismatch.
import type { SandboxResources } from './driver.js';

export const SANDBOX_USER = '1000:1000';
export const WORKSPACE = '/workspace';

export function hardenedHostConfig(r: SandboxResources) {
  return {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    ReadonlyRootfs: true,
    // /tmp for runtimes that insist on one; noexec, and counted against the memory limit like all tmpfs pages.
    Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m,uid=1000,gid=1000,mode=1777' },
    Memory: r.memoryMb * 1024 * 1024,
    MemorySwap: r.memoryMb * 1024 * 1024, // no swap: the memory limit is the limit
    NanoCpus: Math.round(r.cpus * 1e9),
    PidsLimit: r.pids,
    Init: true, // reaps zombies and forwards signals, so a kill at the deadline really stops the agent
    Privileged: false,
    AutoRemove: false, // we inspect the exit (OOM) before removing
  };
}

/**
 * The per-case writable workspace. A tmpfs would be the natural choice, but Docker 20.10 refuses archive writes into
 * a tmpfs when the root filesystem is read-only ("container rootfs is marked read-only", before and after start),
 * and a tmpfs-backed volume loses what was copied in before start (the engine unmounts it after the copy). An
 * anonymous local volume accepts the copy, keeps it, takes /workspace's owner (uid 1000) from the image, and is
 * removed with the container (`v: true`). Its labels let a sweep find it if a removal was interrupted.
 */
export function workspaceMount(labels: Record<string, string>) {
  return { Type: 'volume' as const, Target: WORKSPACE, ReadOnly: false, VolumeOptions: { Labels: labels } };
}

export interface InspectLike {
  Config?: { User?: string };
  HostConfig?: {
    CapDrop?: string[] | null;
    CapAdd?: string[] | null;
    SecurityOpt?: string[] | null;
    ReadonlyRootfs?: boolean;
    Memory?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    PidsLimit?: number | null;
    Init?: boolean | null;
    Privileged?: boolean;
    NetworkMode?: string;
    PidMode?: string;
    IpcMode?: string;
    UsernsMode?: string;
    Binds?: string[] | null;
    Devices?: unknown[] | null;
  };
  Mounts?: Array<{ Type?: string; Source?: string; Destination?: string }>;
}

/** Every way the created container differs from what was asked; empty means hardened. */
export function checkHardening(info: InspectLike, r: SandboxResources, network: string, opts: { workspace?: boolean } = {}): string[] {
  const h = info.HostConfig ?? {};
  const problems: string[] = [];
  const expect = (ok: boolean, what: string, got: unknown) => {
    if (!ok) problems.push(`${what}: got ${JSON.stringify(got ?? null)}`);
  };
  const bytes = r.memoryMb * 1024 * 1024;
  expect((h.CapDrop ?? []).some((c) => /^(CAP_)?ALL$/i.test(c)), 'CapDrop must contain ALL', h.CapDrop);
  expect(!(h.CapAdd ?? []).length, 'CapAdd must be empty', h.CapAdd);
  expect((h.SecurityOpt ?? []).some((o) => /^no-new-privileges(:true|=true)?$/.test(o)), 'SecurityOpt must contain no-new-privileges', h.SecurityOpt);
  expect(h.ReadonlyRootfs === true, 'ReadonlyRootfs must be true', h.ReadonlyRootfs);
  expect(h.Memory === bytes, `Memory must be ${r.memoryMb} MB`, h.Memory);
  expect(h.MemorySwap === bytes, `MemorySwap must be ${r.memoryMb} MB (no swap)`, h.MemorySwap);
  expect(h.NanoCpus === Math.round(r.cpus * 1e9), `NanoCpus must be ${Math.round(r.cpus * 1e9)}`, h.NanoCpus);
  expect(h.PidsLimit === r.pids, `PidsLimit must be ${r.pids}`, h.PidsLimit);
  expect(h.Init === true, 'Init must be true', h.Init);
  expect(h.Privileged !== true, 'Privileged must be false', h.Privileged);
  expect(h.NetworkMode === network, `NetworkMode must be ${network}`, h.NetworkMode);
  for (const ns of ['PidMode', 'IpcMode', 'UsernsMode'] as const) expect(h[ns] !== 'host', `${ns} must not be host`, h[ns]);
  expect(!(h.Devices ?? []).length, 'no host devices', h.Devices);
  const mounts = info.Mounts ?? [];
  expect(!(h.Binds ?? []).length && !mounts.some((m) => m.Type === 'bind'), 'no bind mounts from the host', h.Binds?.length ? h.Binds : mounts);
  const expected = opts.workspace ? [`volume:${WORKSPACE}`] : [];
  const got = mounts.filter((m) => m.Type !== 'bind').map((m) => `${m.Type}:${m.Destination}`);
  expect(JSON.stringify(got) === JSON.stringify(expected), `mounts must be exactly ${JSON.stringify(expected)}`, got);
  const user = info.Config?.User ?? '';
  expect(user === SANDBOX_USER, `User must be ${SANDBOX_USER}`, user);
  return problems;
}
