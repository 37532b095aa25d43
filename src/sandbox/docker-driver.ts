// The Docker implementation of SandboxDriver — the only module that imports dockerode. Hardened containers
// (verified by inspection), a per-run internal network with a relay as the only way out, files in through the
// archive API, output streamed, deadlines enforced, and every Docker call bounded in time.
import os from 'node:os';
import Docker from 'dockerode';
import { pack as tarPack } from 'tar-stream';
import { InfraError } from '../errors.js';
import { LABEL_CASE, LABEL_HOST, LABEL_PID, LABEL_ROLE, LABEL_RUN, type FileEntry, type RunNetwork, type SandboxDriver, type SandboxExit, type SandboxHandle, type SandboxSpec } from './driver.js';
import { contentHash, defaultImageFiles, DOCKERFILE, IMAGE_REPO, type ImageFile } from './image.js';
import { checkHardening, hardenedHostConfig } from './hardening.js';
import { withTimeout, retrying } from './docker-calls.js';
import { buildContextTar } from './build-context.js';

export const RELAY_PORT = 8080;

function tarOf(files: Array<{ name: string; content: Buffer; mode: number; uid?: number }>, dirs: Array<{ name: string; uid: number; mode: number }> = []) {
  const pack = tarPack();
  for (const d of dirs) pack.entry({ name: d.name, type: 'directory', mode: d.mode, uid: d.uid, gid: d.uid });
  for (const f of files) pack.entry({ name: f.name, mode: f.mode, uid: f.uid ?? 0, gid: f.uid ?? 0 }, f.content);
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream; // tar-stream's Pack is a streamx Readable
}

export class DockerDriver implements SandboxDriver {
  private defaultImage: string | undefined;
  private readonly outputs = new Map<string, Promise<void>>();

  constructor(readonly docker: Docker = new Docker()) {}

  async ping(): Promise<void> {
    try {
      await withTimeout(this.docker.ping(), 5000, 'docker ping');
    } catch (err) {
      const where = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
      throw new InfraError(`Docker engine not reachable at ${where}: ${(err as Error).message}`, {
        code: 'E_DOCKER_UNREACHABLE',
        details: ['start it (e.g. `dockerd &`, or Docker Desktop), or point DOCKER_HOST at a running engine'],
      });
    }
  }

  async imageExists(tag: string): Promise<string | undefined> {
    try {
      const info = await retrying(() => withTimeout(this.docker.getImage(tag).inspect(), 10_000, 'image inspect'), { notFoundIsFinal: true });
      return info.Id;
    } catch {
      return undefined;
    }
  }

  /** Builds an image from files placed under rootfs/ with the offline Dockerfile. */
  async buildFromFiles(tag: string, files: ImageFile[]): Promise<void> {
    const entries = files.map((f) => ({ name: `rootfs${f.path}`, content: f.content, mode: f.mode }));
    entries.push({ name: 'Dockerfile', content: Buffer.from(DOCKERFILE), mode: 0o644 });
    // /workspace is owned by the agent user in the image; a fresh volume mounted there copies that ownership.
    entries.push({ name: 'workspace/.agentrt', content: Buffer.from('agentrt sandbox workspace\n'), mode: 0o644 });
    const dirs = [{ name: 'rootfs/tmp', uid: 0, mode: 0o1777 }];
    await this.runBuild(tarOf(entries, dirs), tag);
  }

  async buildFromContext(dir: string, tag: string): Promise<void> {
    await this.runBuild(await buildContextTar(dir), tag);
  }

  private async runBuild(context: NodeJS.ReadableStream, tag: string): Promise<void> {
    const stream = await withTimeout(this.docker.buildImage(context, { t: tag, labels: { 'agentrt.image': 'true' } }), 30_000, 'image build start');
    const output = await withTimeout(
      new Promise<Array<{ error?: string; errorDetail?: { message: string } }>>((resolve, reject) => this.docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res)))),
      600_000,
      'image build',
    );
    const failed = output.find((o) => o.error || o.errorDetail);
    if (failed) throw new InfraError(`image build of ${tag} failed: ${failed.error ?? failed.errorDetail?.message}`, { code: 'E_IMAGE_BUILD' });
  }

  /** The default offline image: built when missing, reused when its content hash is unchanged. */
  async ensureDefaultImage(force = false): Promise<{ tag: string; built: boolean }> {
    const files = defaultImageFiles();
    const tag = `${IMAGE_REPO}:${contentHash(files).slice(0, 16)}`;
    const built = force || !(await this.imageExists(tag));
    if (built) await this.buildFromFiles(tag, files);
    // `latest` lets bring-your-own agents build FROM the sandbox image, offline.
    await withTimeout(this.docker.getImage(tag).tag({ repo: IMAGE_REPO, tag: 'latest' }), 10_000, 'image tag');
    return { tag, built };
  }

  async ensureImage(image: string): Promise<string> {
    await this.ping();
    if (image === 'default') return (this.defaultImage ??= (await this.ensureDefaultImage()).tag);
    if (image.startsWith('build:')) {
      await this.ensureImage('default'); // user Dockerfiles build FROM agentrt-sandbox:latest
      const dir = image.slice('build:'.length);
      const tag = `agentrt-user:${(await import('node:crypto')).createHash('sha256').update(dir).digest('hex').slice(0, 12)}`;
      await this.buildFromContext(dir, tag); // Docker's layer cache makes an unchanged rebuild fast
      return tag;
    }
    if (await this.imageExists(image)) return image;
    throw new InfraError(`image "${image}" is not present on the Docker engine`, {
      code: 'E_IMAGE_MISSING',
      details: ['agentrt never pulls from a registry: build or load it first (`docker build -t …` / `docker load`), or give `agent.build` with a Dockerfile directory in the plan'],
    });
  }

  async createRunNetwork(runId: string, hostGatewayPort: number): Promise<RunNetwork> {
    const image = await this.ensureImage('default');
    const bridge = await withTimeout(this.docker.getNetwork('bridge').inspect(), 10_000, 'network inspect');
    // Older engines leave Gateway out of IPAM; Docker always gives the bridge the subnet's first address then.
    const ipam = bridge?.IPAM?.Config?.[0] as { Gateway?: string; Subnet?: string } | undefined;
    const hostIp: string | undefined = ipam?.Gateway ?? ipam?.Subnet?.replace(/\.0\/\d+$/, '.1');
    if (!hostIp) throw new InfraError('cannot find the host address on the Docker bridge network', { code: 'E_NETWORK' });
    const labels = ownerLabels(runId);
    const name = `agentrt-${runId}`;
    // Internal (no route out) AND no IPv4 address for the host on this bridge: without the second, an internal
    // network still routes to the host, where every service bound to 0.0.0.0 would be reachable.
    const network = await withTimeout(
      this.docker.createNetwork({ Name: name, Internal: true, CheckDuplicate: true, Labels: labels, Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true' } }),
      20_000,
      'network create',
    );
    const relay = await withTimeout(
      this.docker.createContainer({
        Image: image,
        Cmd: ['/usr/bin/node', '/agentrt/relay.js'],
        Env: [`RELAY_PORT=${RELAY_PORT}`, `RELAY_TARGET_HOST=${hostIp}`, `RELAY_TARGET_PORT=${hostGatewayPort}`],
        User: '1000:1000',
        Labels: { ...labels, [LABEL_ROLE]: 'relay' },
        HostConfig: { ...hardenedHostConfig({ memoryMb: 64, cpus: 0.5, pids: 64 }), NetworkMode: 'bridge' },
      }),
      20_000,
      'relay create',
    );
    const net: RunNetwork = { runId, networkId: network.id, networkName: name, relayContainerId: relay.id, gatewayHost: 'gateway', gatewayPort: RELAY_PORT };
    try {
      await withTimeout(network.connect({ Container: relay.id, EndpointConfig: { Aliases: ['gateway'] } }), 20_000, 'relay connect');
      let ready!: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      await this.start({ id: relay.id, runId, caseId: 'relay' }, (_s, text) => text.includes('relay ready') && ready());
      await withTimeout(isReady, 15_000, 'relay ready');
    } catch (err) {
      await this.removeRunNetwork(net).catch(() => undefined);
      throw err;
    }
    return net;
  }

  async removeRunNetwork(net: RunNetwork): Promise<void> {
    await this.destroy({ id: net.relayContainerId, runId: net.runId, caseId: 'relay' });
    await this.removeNetwork(net.networkId, net.runId);
  }

  /**
   * Docker may still hold an endpoint for a container it has just removed ("has active endpoints", 403): remove
   * whatever of the run is still attached and try again, a few times, before giving up.
   */
  private async removeNetwork(networkId: string, runId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await withTimeout(this.docker.getNetwork(networkId).remove(), 20_000, 'network remove');
        return;
      } catch (err) {
        const e = err as { statusCode?: number; message?: string };
        if (e.statusCode === 404) return;
        if (attempt >= 6 || !(e.statusCode === 403 || /active endpoints/.test(e.message ?? ''))) {
          throw new InfraError(`could not remove network ${networkId.slice(0, 12)} of run ${runId}: ${e.message ?? String(err)}`, { code: 'E_NETWORK_REMOVE', details: ['remove it by hand: docker network rm ' + networkId.slice(0, 12)] });
        }
        const attached = await withTimeout(this.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } }), 20_000, 'container list');
        for (const c of attached) await this.destroy({ id: c.Id, runId, caseId: c.Labels[LABEL_CASE] ?? '' });
        // An endpoint can outlive its container (seen on Docker 20.10 under load): disconnect it by force.
        const info = await withTimeout(this.docker.getNetwork(networkId).inspect(), 10_000, 'network inspect').catch(() => undefined);
        for (const id of Object.keys((info as { Containers?: Record<string, unknown> } | undefined)?.Containers ?? {})) {
          await withTimeout(this.docker.getNetwork(networkId).disconnect({ Container: id, Force: true }), 10_000, 'network disconnect').catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  }

  async create(spec: SandboxSpec): Promise<SandboxHandle> {
    const labels = { ...ownerLabels(spec.runId), [LABEL_CASE]: spec.caseId, [LABEL_ROLE]: 'agent' };
    const c = await withTimeout(
      this.docker.createContainer({
        Image: spec.image,
        Cmd: spec.cmd,
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        WorkingDir: spec.workdir,
        User: '1000:1000',
        Labels: labels,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        HostConfig: {
          ...hardenedHostConfig(spec.resources),
          NetworkMode: spec.network.networkName,
          // An anonymous volume (removed with the container): the archive API may write into a volume even though
          // the root filesystem is read-only, which it refuses for tmpfs. Nothing comes from the host.
          Mounts: [{ Type: 'volume', Target: '/workspace', VolumeOptions: { Labels: labels } }] as never,
        },
      }),
      30_000,
      'container create',
    );
    const handle = { id: c.id, runId: spec.runId, caseId: spec.caseId };
    const info = await withTimeout(c.inspect(), 10_000, 'container inspect');
    const problems = checkHardening(info, spec.resources, spec.network.networkName);
    if (problems.length) {
      await this.destroy(handle).catch(() => undefined);
      throw new InfraError('the sandbox container is not hardened as asked; refusing to run it', { code: 'E_SANDBOX_HARDENING', details: problems });
    }
    return handle;
  }

  async copyIn(handle: SandboxHandle, files: FileEntry[]): Promise<void> {
    const tar = tarOf(files.map((f) => ({ name: f.path, content: Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content), mode: f.mode ?? 0o600, uid: 1000 })));
    await withTimeout(this.docker.getContainer(handle.id).putArchive(tar, { path: '/workspace' }), 30_000, 'copy into sandbox');
  }

  async start(handle: SandboxHandle, onOutput: (stream: 'stdout' | 'stderr', text: string) => void): Promise<void> {
    const c = this.docker.getContainer(handle.id);
    // Attach before start so no early output is lost.
    const stream = await withTimeout(c.attach({ stream: true, stdout: true, stderr: true }), 10_000, 'attach');
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const sink = (name: 'stdout' | 'stderr') => ({ write: (chunk: Buffer) => { const t = decoders[name].decode(chunk, { stream: true }); if (t) onOutput(name, t); return true; } });
    this.docker.modem.demuxStream(stream, sink('stdout') as never, sink('stderr') as never);
    this.outputs.set(handle.id, new Promise((resolve) => { stream.on('end', () => resolve()); stream.on('close', () => resolve()); stream.on('error', () => resolve()); }));
    await withTimeout(c.start(), 30_000, 'container start');
  }

  async wait(handle: SandboxHandle, deadlineMs: number, signal?: AbortSignal): Promise<SandboxExit> {
    const c = this.docker.getContainer(handle.id);
    let timedOut = false;
    const waiting = c.wait() as Promise<{ StatusCode: number }>;
    const timer = setTimeout(() => { timedOut = true; void this.kill(handle); }, deadlineMs);
    const onAbort = () => void this.kill(handle);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      const res = await waiting;
      await withTimeout(this.outputs.get(handle.id) ?? Promise.resolve(), 2000, 'output drain').catch(() => undefined);
      const info = await withTimeout(c.inspect(), 10_000, 'container inspect');
      return { exitCode: res.StatusCode, oomKilled: Boolean(info.State?.OOMKilled), timedOut };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async kill(handle: SandboxHandle): Promise<void> {
    await withTimeout(this.docker.getContainer(handle.id).kill(), 10_000, 'container kill').catch(() => undefined);
  }

  async destroy(handle: SandboxHandle): Promise<void> {
    this.outputs.delete(handle.id);
    await retrying(() => withTimeout(this.docker.getContainer(handle.id).remove({ force: true, v: true }), 20_000, 'container remove'), { notFoundIsFinal: true }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }

  async sweepStale(): Promise<{ runs: string[]; containers: string[]; networks: string[] }> {
    const filter = { label: [LABEL_RUN] };
    const containers = await withTimeout(this.docker.listContainers({ all: true, filters: filter }), 20_000, 'container list');
    const networks = await withTimeout(this.docker.listNetworks({ filters: filter }), 20_000, 'network list');
    const runs = staleRuns([...containers, ...networks]);
    const out = { runs, containers: [] as string[], networks: [] as string[] };
    for (const run of runs) {
      const r = await this.sweep(run);
      out.containers.push(...r.containers);
      out.networks.push(...r.networks);
    }
    return out;
  }

  async sweep(runId?: string): Promise<{ containers: string[]; networks: string[] }> {
    const filter = { label: [runId ? `${LABEL_RUN}=${runId}` : LABEL_RUN] };
    const containers = await withTimeout(this.docker.listContainers({ all: true, filters: filter }), 20_000, 'container list');
    const removed: string[] = [];
    for (const c of containers) {
      await this.destroy({ id: c.Id, runId: c.Labels[LABEL_RUN] ?? '', caseId: c.Labels[LABEL_CASE] ?? '' });
      removed.push(`${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)} (${c.Labels[LABEL_ROLE] ?? 'container'}, run ${c.Labels[LABEL_RUN]})`);
    }
    const networks = await withTimeout(this.docker.listNetworks({ filters: filter }), 20_000, 'network list');
    const removedNets: string[] = [];
    for (const n of networks) {
      await this.removeNetwork(n.Id, n.Labels?.[LABEL_RUN] ?? runId ?? '');
      removedNets.push(n.Name);
    }
    return { containers: removed, networks: removedNets };
  }
}

function ownerLabels(runId: string): Record<string, string> {
  return { [LABEL_RUN]: runId, [LABEL_PID]: String(process.pid), [LABEL_HOST]: os.hostname() };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs on this host whose agentrt process no longer exists. */
export function staleRuns(items: Array<{ Labels?: Record<string, string> | null }>): string[] {
  const runs = new Set<string>();
  for (const { Labels: l } of items) {
    const run = l?.[LABEL_RUN];
    const pid = Number(l?.[LABEL_PID]);
    if (run && pid && l?.[LABEL_HOST] === os.hostname() && pid !== process.pid && !processAlive(pid)) runs.add(run);
  }
  return [...runs];
}

export async function createDockerDriver(): Promise<DockerDriver> {
  const driver = new DockerDriver();
  await driver.ping();
  return driver;
}
