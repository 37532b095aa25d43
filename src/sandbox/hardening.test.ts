import { describe, expect, it } from 'vitest';
import { checkHardening, hardenedHostConfig, type InspectLike } from './hardening.js';

const r = { memoryMb: 128, cpus: 0.5, pids: 64 };
// What the engine reports for a container created with hardenedHostConfig(r) on the network "n".
const good: InspectLike = {
  Config: { User: '1000:1000' },
  HostConfig: { ...hardenedHostConfig(r), CapAdd: null, NetworkMode: 'n', PidMode: '', IpcMode: 'private', UsernsMode: '', Binds: null, Devices: [] },
  Mounts: [{ Type: 'volume', Source: '/var/lib/docker/volumes/x/_data', Destination: '/workspace' }],
};

describe('hardening check', () => {
  it('accepts the hardened container', () => expect(checkHardening(good, r, 'n', { workspace: true })).toEqual([]));

  it('names every field that differs from what was asked', () => {
    const bad: InspectLike = {
      Config: { User: 'root' },
      HostConfig: { ...good.HostConfig, CapDrop: [], CapAdd: ['NET_RAW'], SecurityOpt: [], ReadonlyRootfs: false, Memory: 0, MemorySwap: -1, NanoCpus: 0, PidsLimit: null, Init: false, Privileged: true, NetworkMode: 'bridge', PidMode: 'host', Devices: [{ PathOnHost: '/dev/kvm' }] },
      Mounts: [...good.Mounts!, { Type: 'bind', Source: '/', Destination: '/host' }],
    };
    const fields = checkHardening(bad, r, 'n', { workspace: true }).map((p) => p.split(': got')[0]);
    expect(fields).toEqual([
      'CapDrop must contain ALL', 'CapAdd must be empty', 'SecurityOpt must contain no-new-privileges', 'ReadonlyRootfs must be true',
      'Memory must be 128 MB', 'MemorySwap must be 128 MB (no swap)', 'NanoCpus must be 500000000', 'PidsLimit must be 64', 'Init must be true',
      'Privileged must be false', 'NetworkMode must be n', 'PidMode must not be host', 'no host devices', 'no bind mounts from the host', 'User must be 1000:1000',
    ]);
  });

  it('refuses a missing workspace, an extra volume, and a workspace on a container that must have none', () => {
    expect(checkHardening({ ...good, Mounts: [] }, r, 'n', { workspace: true })).toEqual(['mounts must be exactly ["volume:/workspace"]: got []']);
    const extra = { ...good, Mounts: [...good.Mounts!, { Type: 'volume', Destination: '/data' }] };
    expect(checkHardening(extra, r, 'n', { workspace: true })).toHaveLength(1);
    expect(checkHardening(good, r, 'n')).toEqual(['mounts must be exactly []: got ["volume:/workspace"]']);
  });

  it('a non-root user other than the sandbox user is still refused: the user is part of what was asked', () => {
    expect(checkHardening({ ...good, Config: { User: '1001' } }, r, 'n', { workspace: true })).toEqual(['User must be 1000:1000: got "1001"']);
  });
});
