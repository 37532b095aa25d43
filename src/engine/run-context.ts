// Everything one run shares across its cases: the run directory and header, the resolved tools and fixtures, the
// provider, ONE gateway server and ONE isolated network. Opened once, closed once (always), whatever the command.
import { createHash, randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LoadedPlan, RuntimePlan } from '../plan/schema.js';
import type { RunHeader } from '../trace/events.js';
import type { FixtureData, ToolImpl } from '../tools/types.js';
import type { Provider } from '../providers/types.js';
import type { RunNetwork, SandboxDriver } from '../sandbox/driver.js';
import { startGateway, type GatewayServer } from '../gateway/server.js';
import { loadFixtures, hashFixtures } from '../tools/fixture-store.js';
import { resolveTools, hashToolDefinitions } from '../tools/registry.js';
import { createProvider } from '../providers/index.js';
import { hashPriceFile } from '../providers/pricing.js';
import { agentrtVersion } from '../paths.js';
import { gitSha } from './git.js';
import { newRunId } from './run-id.js';

export interface AgentLaunch {
  image: string;
  cmd: string[];
  workdir: string;
  maxTurns: number;
}

export interface RunContext {
  runId: string;
  runDir: string;
  loaded: LoadedPlan;
  plan: RuntimePlan;
  header: RunHeader;
  tools: Map<string, ToolImpl>;
  baseFixtures: FixtureData;
  prompt: string | null;
  provider: Provider;
  driver: SandboxDriver;
  gateway: GatewayServer;
  network: RunNetwork;
  agent: AgentLaunch;
  /** Real secrets (provider keys) that must never reach a trace. */
  secrets: string[];
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

export interface OpenRunOptions {
  loaded: LoadedPlan;
  command: RunHeader['command'];
  driver: SandboxDriver;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  parentRunId?: string;
  /** `eval --resume`: continue this stored run (same id and directory) instead of starting a new one. */
  resume?: { runId: string; runDir: string; header: RunHeader };
  /** Called with a short status line while setting up (image build can take seconds). */
  onStatus?: (text: string) => void;
  /** Instead of the plan's provider (rerun serves recordings: no key, no model call). */
  provider?: Provider;
  /** Instead of a fresh random seed (rerun re-makes the recorded run's seeded choices). */
  seed?: number;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function agentLaunch(plan: RuntimePlan, defaultImage: string): AgentLaunch {
  if ('reference' in plan.agent) {
    return { image: defaultImage, cmd: ['/usr/bin/node', '/agentrt/reference-agent.js'], workdir: '/workspace', maxTurns: plan.agent.reference.max_turns };
  }
  return { image: plan.agent.image ?? defaultImage, cmd: plan.agent.command, workdir: plan.agent.workdir, maxTurns: 20 };
}

/** Everything that can fail without side effects happens first; only then the image, gateway and network. */
export async function openRun(opts: OpenRunOptions): Promise<RunContext> {
  const { loaded, driver } = opts;
  const plan = loaded.plan;
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const provider = opts.provider ?? createProvider(plan.model, env, { planDir: loaded.dir });
  const secrets = plan.model.api_key_env && env[plan.model.api_key_env] ? [env[plan.model.api_key_env]!] : [];
  const tools = await resolveTools(plan, loaded.dir);
  const fixtureFiles = Object.fromEntries(plan.systems.map((s) => [s.name, path.resolve(loaded.dir, s.fixtures)]));
  const baseFixtures = await loadFixtures(fixtureFiles);
  const prompt = 'reference' in plan.agent ? await fs.readFile(path.resolve(loaded.dir, plan.agent.reference.prompt), 'utf8') : null;

  // A crashed run (kill -9) leaves containers and networks behind: remove them first, and say so.
  // Best effort: a leftover Docker cannot remove is reported, and must not stop this run.
  const stale = await driver.sweepStale?.().catch((err: unknown) => {
    opts.onStatus?.(`could not remove a crashed run's leftovers (${err instanceof Error ? err.message : String(err)}); try agentrt cleanup --all`);
    return undefined;
  });
  if (stale?.runs.length) {
    opts.onStatus?.(`removed leftovers of crashed run(s) ${stale.runs.join(', ')}: ${stale.containers.length} container(s), ${stale.networks.length} network(s)`);
  }
  const runId = opts.resume?.runId ?? newRunId();
  const runDir = opts.resume?.runDir ?? path.resolve(cwd, plan.logging.trace_dir, runId);
  opts.onStatus?.('checking sandbox image');
  const launch = agentLaunch(plan, 'default');
  const imageId = await driver.ensureImage(
    'command' in plan.agent && plan.agent.build ? `build:${path.resolve(loaded.dir, plan.agent.build)}` : launch.image,
  );
  launch.image = imageId;

  const header: RunHeader = {
    run_id: runId,
    started_at: new Date().toISOString(),
    agentrt_version: agentrtVersion(),
    git_sha: await gitSha(cwd),
    plan_file: path.relative(cwd, loaded.file) || loaded.file,
    command: opts.command,
    model: { provider: opts.provider?.id ?? plan.model.provider, name: plan.model.name },
    hashes: {
      plan: loaded.hash,
      prompt: prompt === null ? null : sha256(prompt),
      tools: await hashToolDefinitions(tools),
      fixtures: hashFixtures(baseFixtures),
      prices: await hashPriceFile(),
      image: imageId,
    },
    seed: opts.seed ?? randomInt(1, 2 ** 31 - 1),
    ...(opts.parentRunId ? { parent_run_id: opts.parentRunId } : {}),
  };

  if (opts.resume) {
    // One result needs one configuration: a resumed run must use exactly what the interrupted one used.
    const changed = (Object.keys(header.hashes) as Array<keyof RunHeader['hashes']>).filter((k) => header.hashes[k] !== opts.resume!.header.hashes[k]);
    if (changed.length) {
      const { UsageError } = await import('../errors.js');
      throw new UsageError(`cannot resume run ${runId}: ${changed.join(', ')} changed since it started`, { details: ['start a new run instead, and compare the two with `agentrt diff`'] });
    }
    header.started_at = opts.resume.header.started_at;
    header.seed = opts.resume.header.seed;
  }
  await fs.mkdir(path.join(runDir, 'cases'), { recursive: true });
  await fs.writeFile(path.join(runDir, 'run.json'), JSON.stringify(header, null, 2) + '\n');

  opts.onStatus?.('starting gateway and isolated network');
  const gateway = await startGateway({ secrets });
  let network: RunNetwork;
  try {
    network = await driver.createRunNetwork(runId, gateway.port);
  } catch (err) {
    await gateway.close();
    throw err;
  }
  return {
    runId,
    runDir,
    loaded,
    plan,
    header,
    tools,
    baseFixtures,
    prompt,
    provider,
    driver,
    gateway,
    network,
    agent: launch,
    secrets,
    signal: opts.signal,
  };
}

/** Tears the run down; every step runs even if an earlier one fails, and all failures are reported together. */
export async function closeRun(ctx: RunContext): Promise<void> {
  const failures: string[] = [];
  await ctx.driver.removeRunNetwork(ctx.network).catch((e: unknown) => failures.push(`network: ${String(e)}`));
  await ctx.gateway.close().catch((e: unknown) => failures.push(`gateway: ${String(e)}`));
  await ctx.driver.sweep(ctx.runId).catch((e: unknown) => failures.push(`sweep: ${String(e)}`));
  if (failures.length) {
    const { InfraError } = await import('../errors.js');
    throw new InfraError(`teardown of run ${ctx.runId} was incomplete`, { code: 'E_TEARDOWN', details: failures });
  }
}
