// The sandbox contract. The Docker implementation (docker-driver.ts) is the only importer of dockerode; the
// engine sees only this interface, so tests can substitute it and another backend could be added.

export const LABEL_RUN = 'agentrt.run';
export const LABEL_CASE = 'agentrt.case';
export const LABEL_ROLE = 'agentrt.role'; // agent | relay
/** The agentrt process that owns the run, and its host: a run whose process is gone is a crashed run's leftovers. */
export const LABEL_PID = 'agentrt.pid';
export const LABEL_HOST = 'agentrt.host';

export interface SandboxResources {
  memoryMb: number;
  cpus: number;
  pids: number;
}

/** The per-run isolated network: an internal network plus a relay container reachable as `gateway`. */
export interface RunNetwork {
  runId: string;
  networkId: string;
  networkName: string;
  relayContainerId: string;
  /** Hostname agents use to reach the gateway (`gateway`). */
  gatewayHost: string;
  /** Port on `gatewayHost` that forwards to the host's gateway server. */
  gatewayPort: number;
}

export interface SandboxSpec {
  runId: string;
  caseId: string;
  image: string;
  cmd: string[];
  env: Record<string, string>;
  workdir: string;
  resources: SandboxResources;
  network: RunNetwork;
}

export interface SandboxHandle {
  id: string;
  runId: string;
  caseId: string;
}

export interface SandboxExit {
  exitCode: number | null;
  oomKilled: boolean;
  timedOut: boolean;
}

export interface FileEntry {
  /** Path relative to the workspace directory. */
  path: string;
  content: string | Buffer;
  mode?: number;
}

export interface SandboxDriver {
  /** Make sure the image exists (building the offline default image if needed); returns its id/digest. */
  ensureImage(image: string): Promise<string>;
  createRunNetwork(runId: string, hostGatewayPort: number): Promise<RunNetwork>;
  removeRunNetwork(net: RunNetwork): Promise<void>;
  /** Creates the hardened container and verifies every hardening field by inspection. */
  create(spec: SandboxSpec): Promise<SandboxHandle>;
  /** Writes files into the writable workspace through the archive API (no bind mounts). */
  copyIn(handle: SandboxHandle, files: FileEntry[]): Promise<void>;
  /** Starts the container; `onOutput` receives its stdout/stderr as they arrive. Wait is registered before start. */
  start(handle: SandboxHandle, onOutput: (stream: 'stdout' | 'stderr', text: string) => void): Promise<void>;
  /** Resolves when the agent exits or `deadlineMs` passes (then it is killed and timedOut is true). */
  wait(handle: SandboxHandle, deadlineMs: number, signal?: AbortSignal): Promise<SandboxExit>;
  kill(handle: SandboxHandle): Promise<void>;
  /** Reports what the host sees a started container try (tripwire connections, the pids limit) until stop(). */
  watch?(handle: SandboxHandle, report: (v: { kind: string; detail: string }) => void): Promise<{ stop(): void }>;
  /** Freezes every process of the container (cgroup freezer); the container keeps its state. */
  pause(handle: SandboxHandle): Promise<void>;
  unpause(handle: SandboxHandle): Promise<void>;
  destroy(handle: SandboxHandle): Promise<void>;
  /** Removes containers and networks labelled by agentrt (all runs, or only `runId`); returns what it removed. */
  sweep(runId?: string): Promise<{ containers: string[]; networks: string[] }>;
  /** Removes what crashed runs left on this host (their agentrt process is gone); never touches live runs. */
  sweepStale?(): Promise<{ runs: string[]; containers: string[]; networks: string[] }>;
}
