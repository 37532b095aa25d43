// The Docker implementation of SandboxDriver — the only module that imports dockerode. Hardened containers
// (verified by inspection), a per-run internal network with a relay as the only way out, files in through the
// archive API, output streamed, the wait registered before start, deadlines enforced, every Docker call bounded.
import os from 'node:os';
import Docker from 'dockerode';
import { InfraError } from '../errors.js';
import { LABEL_CASE, LABEL_HOST, LABEL_PID, LABEL_ROLE, LABEL_RUN, type FileEntry, type RunNetwork, type SandboxDriver, type SandboxExit, type SandboxHandle, type SandboxResources, type SandboxSpec } from './driver.js';
import { checkHardening, hardenedHostConfig, SANDBOX_USER, WORKSPACE, workspaceMount } from './hardening.js';
import { call, dockerStatus, engineAddress } from './docker-calls.js';
import { buildImage, ensureContextImage, ensureDefaultImage, imageId, missingImageError } from './image-build.js';
import { buildContextEntries } from './build-context.js';
import type { ImageFile } from './image.js';
import { createInternalNetwork, hostBridgeAddress, removeNetwork } from './run-network.js';
import { staleRuns } from './stale.js';
import { tarStream } from './tar.js';
import { demuxOutput, registerExitWait, type Output } from './container-io.js';
import { SandboxWatch, type Watching } from './sandbox-watch.js';
import { TRIPWIRE_PORTS, type SandboxViolation } from './tripwire.js';

export const RELAY_PORT = 8080;
const RELAY_RESOURCES: SandboxResources = { memoryMb: 64, cpus: 0.5, pids: 64 };
/** After a kill, how long the engine gets to report the exit before the case is an infrastructure error. */
const KILL_GRACE_MS = 30_000;

type Labels = Record<string, string>;

export interface SweepResult {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export class DockerDriver implements SandboxDriver {
  private defaultImage: string | undefined;
  /** Per started container: its exit (the wait registered before start) and the end of its output stream. */
  private readonly running = new Map<string, { exit: Promise<number>; drained: Promise<void>; close: () => void }>();
  private readonly watcher: SandboxWatch;

  constructor(readonly docker: Docker = new Docker()) {
    this.watcher = new SandboxWatch(docker);
  }

  async ping(): Promise<void> {
    await call('ping', 5000, () => this.docker.ping()).catch((err: InfraError) => {
      if (err.code === 'E_DOCKER_UNREACHABLE') throw err;
      throw new InfraError(`Docker engine not reachable at ${engineAddress()}: ${err.message}`, { code: 'E_DOCKER_UNREACHABLE', details: ['start it (e.g. `dockerd &`, or Docker Desktop), or point DOCKER_HOST at a running engine'], cause: err });
    });
  }

  /** The default offline image (or one with test scripts in place of the relay and reference agent). */
  ensureDefaultImage(force = false, files?: ImageFile[]): Promise<{ tag: string; built: boolean }> {
    return ensureDefaultImage(this.docker, { force, ...(files ? { files } : {}) });
  }

  /** Builds a user's Dockerfile directory as `tag` (symlinks out of the directory are refused). */
  async buildFromContext(dir: string, tag: string): Promise<void> {
    await buildImage(this.docker, await buildContextEntries(dir), tag);
  }

  /** `default` builds the offline image when missing; `build:<dir>` a user Dockerfile; any other name must exist. */
  async ensureImage(image: string): Promise<string> {
    await this.ping();
    if (image === 'default') return (this.defaultImage ??= (await this.ensureDefaultImage()).tag);
    if (image.startsWith('build:')) {
      const base = await this.ensureImage('default'); // user Dockerfiles build FROM agentrt-sandbox:latest
      return ensureContextImage(this.docker, image.slice('build:'.length), (await imageId(this.docker, base)) ?? base);
    }
    if (await imageId(this.docker, image)) return image;
    throw missingImageError(image);
  }

  async createRunNetwork(runId: string, hostGatewayPort: number): Promise<RunNetwork> {
    const image = await this.ensureImage('default');
    const target = await hostBridgeAddress(this.docker);
    const labels = ownerLabels(runId);
    const networkName = `agentrt-${runId}`;
    const networkId = await createInternalNetwork(this.docker, networkName, labels);
    const net: RunNetwork = { runId, networkId, networkName, relayContainerId: '', gatewayHost: 'gateway', gatewayPort: RELAY_PORT };
    try {
      const relay = await this.createHardened({
        Image: image,
        Cmd: ['/usr/bin/node', '/agentrt/relay.js'],
        Env: [`RELAY_PORT=${RELAY_PORT}`, `RELAY_TARGET_HOST=${target}`, `RELAY_TARGET_PORT=${hostGatewayPort}`, `RELAY_TRIPWIRE_PORTS=${TRIPWIRE_PORTS.join(',')}`],
        Labels: { ...labels, [LABEL_ROLE]: 'relay' },
      }, RELAY_RESOURCES, 'bridge', false, { id: '', runId, caseId: 'relay' });
      net.relayContainerId = relay.id;
      await call('relay connect', 20_000, () => this.docker.getNetwork(networkId).connect({ Container: relay.id, EndpointConfig: { Aliases: [net.gatewayHost] } }));
      await this.startRelay(relay, this.watcher.relayOutput(networkName, RELAY_PORT));
    } catch (err) {
      await this.removeRunNetwork(net).catch(() => undefined);
      throw err;
    }
    return net;
  }

  /** Returns once the relay accepts connections (it says so on stdout); fails fast with its output if it exits. */
  private async startRelay(relay: SandboxHandle, afterReady: (text: string) => void): Promise<void> {
    let out = '';
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    await this.start(relay, (_s, text) => {
      if (/^relay ready/m.test(out)) return afterReady(text); // tripwire reports from here on
      out += text;
      if (/^relay ready/m.test(out)) (ready(), afterReady(out.slice(out.search(/^relay ready/m))));
    });
    const exited = this.running.get(relay.id)!.exit.then((code) => {
      throw new InfraError(`the gateway relay exited (code ${code}) before it was ready`, { code: 'E_RELAY', details: out.trim().split('\n').slice(-5) });
    });
    exited.catch(() => undefined); // once ready, the relay's later exit (at teardown) is no error
    await call('relay ready', 15_000, () => Promise.race([isReady, exited]));
  }

  /** Reports tripwire connections and the pids limit of a started container until stop() (see sandbox-watch.ts). */
  watch(handle: SandboxHandle, report: (v: SandboxViolation) => void): Promise<Watching> {
    return this.watcher.watch(handle, report);
  }

  async removeRunNetwork(net: RunNetwork): Promise<void> {
    this.watcher.relayGone(net.networkName);
    if (net.relayContainerId) await this.destroy({ id: net.relayContainerId, runId: net.runId, caseId: 'relay' });
    await removeNetwork(this.docker, net.networkId, net.runId, () => this.removeRunContainers(net.runId));
  }

  async create(spec: SandboxSpec): Promise<SandboxHandle> {
    const labels = { ...ownerLabels(spec.runId), [LABEL_CASE]: spec.caseId, [LABEL_ROLE]: 'agent' };
    return this.createHardened({
      Image: spec.image,
      Cmd: spec.cmd,
      Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      WorkingDir: spec.workdir,
      Labels: labels,
      Mounts: [workspaceMount(labels)],
    }, spec.resources, spec.network.networkName, true, { id: '', runId: spec.runId, caseId: spec.caseId });
  }

  /** Creates a container with the hardened settings, then refuses (and removes) it unless inspection agrees. */
  private async createHardened(
    cfg: { Image: string; Cmd: string[]; Env: string[]; Labels: Labels; WorkingDir?: string; Mounts?: Array<ReturnType<typeof workspaceMount>> },
    resources: SandboxResources,
    networkMode: string,
    workspace: boolean,
    handle: SandboxHandle,
  ): Promise<SandboxHandle> {
    const { Mounts, ...rest } = cfg;
    const c = await call('container create', 30_000, () =>
      this.docker.createContainer({
        ...rest,
        User: SANDBOX_USER,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        OpenStdin: false,
        // (Mounts cast: dockerode's type wants every VolumeOptions field, the API does not.)
        HostConfig: { ...hardenedHostConfig(resources), NetworkMode: networkMode, ...(Mounts ? { Mounts: Mounts as never } : {}) },
      }),
    );
    const created = { ...handle, id: c.id };
    await this.verifyHardening(created, resources, networkMode, workspace);
    return created;
  }

  /** Inspects a created container; if any hardening field is not what was asked, removes it and throws. */
  async verifyHardening(handle: SandboxHandle, resources: SandboxResources, networkMode: string, workspace: boolean): Promise<void> {
    const info = await call('container inspect', 10_000, () => this.docker.getContainer(handle.id).inspect(), { retry: true }).catch(async (err: unknown) => {
      await this.destroy(handle).catch(() => undefined);
      throw err;
    });
    const problems = checkHardening(info, resources, networkMode, { workspace });
    if (problems.length) {
      await this.destroy(handle).catch(() => undefined);
      throw new InfraError('the sandbox container is not hardened as asked; refusing to run it', { code: 'E_SANDBOX_HARDENING', details: problems });
    }
  }

  async copyIn(handle: SandboxHandle, files: FileEntry[]): Promise<void> {
    // Owned by the agent (uid 1000) and private to it unless a mode says otherwise.
    const tar = () => tarStream(files.map((f) => ({ name: f.path, content: Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content), mode: f.mode ?? 0o600, uid: 1000 })));
    await call('copy into sandbox', 30_000, () => this.docker.getContainer(handle.id).putArchive(tar(), { path: WORKSPACE }));
  }

  async start(handle: SandboxHandle, onOutput: Output): Promise<void> {
    const c = this.docker.getContainer(handle.id);
    // Attach and register the wait before start: no early output is lost, and an agent that exits at once is seen.
    const stream = await call('attach', 10_000, () => c.attach({ stream: true, stdout: true, stderr: true }));
    const drained = demuxOutput(this.docker.modem, stream, onOutput);
    const closeStream = () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    const { exit, cancel } = await call('wait register', 10_000, () => registerExitWait(this.docker.modem, handle.id)).catch((err: unknown) => {
      closeStream();
      throw err;
    });
    // Closing both lets a container that never ran (or is being removed) leave no open request behind.
    this.running.set(handle.id, { exit, drained, close: () => (cancel(), closeStream()) });
    await call('container start', 30_000, () => c.start()).catch((err: unknown) => {
      this.running.get(handle.id)?.close();
      this.running.delete(handle.id);
      throw err;
    });
  }

  async wait(handle: SandboxHandle, deadlineMs: number, signal?: AbortSignal): Promise<SandboxExit> {
    const c = this.docker.getContainer(handle.id);
    const run = this.running.get(handle.id);
    // Not started here (another process, a test): the engine's plain wait, which returns at once if it has exited.
    const exit = run?.exit ?? c.wait().then((r: { StatusCode: number }) => r.StatusCode);
    let timedOut = false;
    let giveUp!: (err: Error) => void;
    const stuck = new Promise<never>((_, reject) => (giveUp = reject));
    let graceTimer: NodeJS.Timeout | undefined;
    const killNow = () => {
      graceTimer ??= setTimeout(() => giveUp(new InfraError(`container ${handle.id.slice(0, 12)} did not stop within ${KILL_GRACE_MS / 1000}s of being killed`, { code: 'E_DOCKER_KILL' })), KILL_GRACE_MS);
      this.kill(handle).catch(() => undefined); // the grace timer reports a kill that did not work
    };
    // setTimeout fires at once beyond 2^31-1 ms; nothing runs for 24 days anyway.
    const deadline = setTimeout(() => ((timedOut = true), killNow()), Math.min(deadlineMs, 2 ** 31 - 1));
    signal?.addEventListener('abort', killNow, { once: true });
    if (signal?.aborted) killNow();
    try {
      const exitCode = await Promise.race([exit, stuck]).catch((err: unknown) => {
        throw err instanceof InfraError ? err : new InfraError(`lost the Docker engine while waiting for the agent: ${(err as Error).message}`, { code: 'E_DOCKER_UNREACHABLE', cause: err });
      });
      await settleWithin(run?.drained, 2000); // output still in flight when the exit was reported
      const info = await call('container inspect', 10_000, () => c.inspect(), { retry: true });
      return { exitCode, oomKilled: Boolean(info.State?.OOMKilled), timedOut };
    } finally {
      clearTimeout(deadline);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', killNow);
    }
  }

  async kill(handle: SandboxHandle): Promise<void> {
    await call('container kill', 10_000, () => this.docker.getContainer(handle.id).kill()).catch((err: unknown) => {
      if (dockerStatus(err) !== 404 && dockerStatus(err) !== 409) throw err; // 404 gone, 409 not running: stopped already
    });
  }

  async pause(handle: SandboxHandle): Promise<void> {
    await call('container pause', 10_000, () => this.docker.getContainer(handle.id).pause());
  }

  async unpause(handle: SandboxHandle): Promise<void> {
    await call('container unpause', 10_000, () => this.docker.getContainer(handle.id).unpause()).catch((err: unknown) => {
      if (dockerStatus(err) !== 404 && dockerStatus(err) !== 409) throw err; // gone, or not paused: nothing to thaw
    });
  }

  async destroy(handle: SandboxHandle): Promise<void> {
    this.running.get(handle.id)?.close();
    this.running.delete(handle.id);
    await call('container remove', 20_000, () => this.docker.getContainer(handle.id).remove({ force: true, v: true }), { retry: true }).catch((err: unknown) => {
      if (dockerStatus(err) !== 404) throw err;
    });
  }

  private async removeRunContainers(runId: string): Promise<void> {
    for (const c of await this.containers(runId)) await this.destroy({ id: c.Id, runId, caseId: c.Labels[LABEL_CASE] ?? '' });
  }

  private containers(runId?: string): Promise<Docker.ContainerInfo[]> {
    const filters = { label: [runId ? `${LABEL_RUN}=${runId}` : LABEL_RUN] };
    return call('container list', 20_000, () => this.docker.listContainers({ all: true, filters }), { retry: true });
  }

  async sweepStale(): Promise<{ runs: string[] } & SweepResult> {
    const filters = { label: [LABEL_RUN] };
    const networks = await call('network list', 20_000, () => this.docker.listNetworks({ filters }), { retry: true });
    const runs = staleRuns([...(await this.containers()), ...networks]);
    const out = { runs, containers: [] as string[], networks: [] as string[], volumes: [] as string[] };
    for (const run of runs) {
      const r = await this.sweep(run);
      out.containers.push(...r.containers);
      out.networks.push(...r.networks);
      out.volumes.push(...r.volumes);
    }
    return out;
  }

  /** Removes agentrt's containers, networks and left-over workspace volumes (of one run, or all). */
  async sweep(runId?: string): Promise<SweepResult> {
    const filters = { label: [runId ? `${LABEL_RUN}=${runId}` : LABEL_RUN] };
    const out: SweepResult = { containers: [], networks: [], volumes: [] };
    for (const c of await this.containers(runId)) {
      await this.destroy({ id: c.Id, runId: c.Labels[LABEL_RUN] ?? '', caseId: c.Labels[LABEL_CASE] ?? '' });
      out.containers.push(`${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)} (${c.Labels[LABEL_ROLE] ?? 'container'}, run ${c.Labels[LABEL_RUN]})`);
    }
    for (const n of await call('network list', 20_000, () => this.docker.listNetworks({ filters }), { retry: true })) {
      const run = n.Labels?.[LABEL_RUN] ?? runId ?? '';
      await removeNetwork(this.docker, n.Id, run, () => this.removeRunContainers(run));
      out.networks.push(n.Name);
    }
    const volumes = (await call('volume list', 20_000, () => this.docker.listVolumes({ filters }), { retry: true })).Volumes ?? [];
    for (const v of volumes) {
      await call('volume remove', 20_000, () => this.docker.getVolume(v.Name).remove(), { retry: true }).catch((err: unknown) => {
        if (dockerStatus(err) !== 404) throw err;
      });
      out.volumes.push(v.Name.slice(0, 12));
    }
    return out;
  }
}

async function settleWithin(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

function ownerLabels(runId: string): Labels {
  return { [LABEL_RUN]: runId, [LABEL_PID]: String(process.pid), [LABEL_HOST]: os.hostname() };
}

export { staleRuns };

export async function createDockerDriver(): Promise<DockerDriver> {
  const driver = new DockerDriver();
  await driver.ping();
  return driver;
}
