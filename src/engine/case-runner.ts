// The one case runner every command uses: fresh fixtures, a registered gateway session, a hardened container
// running the agent, a deadline, and guaranteed teardown. Errors inside the case are recorded and scored; only
// infrastructure failures are marked infra_error (kept out of the agent's scores).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EvalCase } from '../plan/case-schema.js';
import type { StopReason, TraceEvent, Usage } from '../trace/events.js';
import { ZERO_USAGE } from '../trace/events.js';
import type { SandboxExit, SandboxHandle } from '../sandbox/driver.js';
import { TraceWriter } from '../trace/writer.js';
import { createFixtureStore, applyOverrides } from '../tools/fixture-store.js';
import type { CaseSession } from '../gateway/session.js';
import { isAgentrtError } from '../errors.js';
import { agentEnv, PROMPT_FILE, TICKET_FILE } from './agent-env.js';
import { caseKey } from './run-id.js';
import { seedTicket } from './seed-ticket.js';
import { compileRedactions } from './redactions.js';
import type { RunContext } from './run-context.js';
import type { Approver } from '../gateway/approver.js';
import type { Provider } from '../providers/types.js';
import { PausableDeadline, liveCase } from './live-case.js';

export interface CaseResult {
  caseId: string;
  key: string;
  attempt: number;
  stop: StopReason;
  detail: string;
  traceFile: string;
  stateFile: string;
  usage: Usage;
  costUsd: number;
  steps: number;
  durationMs: number;
  escalated: boolean;
}

export interface CaseOptions {
  /** Every trace event as it is written (live views). */
  onEvent?: (ev: TraceEvent) => void;
  /** This case's model provider instead of the run's (rerun and resume serve a recording first). */
  provider?: Provider;
  /** Epoch of the case clock tools see; a replay passes the recorded one so timestamps match. */
  clockMs?: number;
  /** The trace this case re-drives (rerun, resume). */
  replayOf?: string;
  /** The running case, for `agentrt pause|resume|stop` from another terminal. */
  onLive?: (live: LiveCase | undefined) => void;
}

/** What a person can do to a running case. */
export interface LiveCase {
  key: string;
  paused: boolean;
  pause(by: string, reason?: string): Promise<void>;
  resume(by: string): Promise<void>;
  stop(by: string, reason?: string): void;
}

type Stop = { reason: StopReason; detail: string };

export async function runCase(ctx: RunContext, kase: EvalCase, attempt: number, approver: Approver, hooks: CaseOptions = {}): Promise<CaseResult> {
  const key = caseKey(kase.id, attempt);
  const traceFile = path.join(ctx.runDir, 'cases', `${key}.ndjson`);
  const stateFile = path.join(ctx.runDir, 'cases', `${key}.state.json`);
  const startedAt = Date.now();
  const clockMs = hooks.clockMs ?? startedAt;
  const store = createFixtureStore(seedTicket(applyOverrides(ctx.baseFixtures, kase.fixtures), kase.ticket));
  const initialState = store.snapshot();
  const trace = TraceWriter.open(traceFile, {
    startedAt,
    secrets: ctx.secrets,
    redact: compileRedactions(ctx.plan.logging.redact),
    onEvent: hooks.onEvent,
  });

  // The gateway asks the case to stop (limit hit, stop rule): we kill the agent through this signal.
  const stopController = new AbortController();
  let requested: Stop | undefined;
  const ticketText = [kase.ticket.subject, kase.ticket.body].join('\n');
  const session: CaseSession = {
    runId: ctx.runId,
    caseId: key,
    plan: ctx.plan,
    tools: ctx.tools,
    store,
    trace,
    provider: hooks.provider ?? ctx.provider,
    approver,
    faults: [...ctx.plan.faults, ...kase.faults],
    seed: ctx.header.seed + attempt,
    startedAt,
    clockMs,
    ticketText,
    onStop: (stop) => {
      requested ??= stop;
      stopController.abort();
    },
  };

  trace.write({
    type: 'case.start', run: ctx.header, case_id: kase.id, attempt, ticket: kase.ticket, title: kase.title, clock_ms: clockMs,
    ...(hooks.replayOf ? { replay_of: hooks.replayOf } : {}),
  });
  const creds = ctx.gateway.openCase(session);
  let handle: SandboxHandle | undefined;
  let watching: { stop(): void } | undefined;
  let stop: Stop = { reason: 'infra_error', detail: 'case did not start' };
  try {
    handle = await ctx.driver.create({
      runId: ctx.runId,
      caseId: key,
      image: ctx.agent.image,
      cmd: ctx.agent.cmd,
      env: agentEnv({ network: ctx.network, creds, runId: ctx.runId, caseId: key, model: ctx.plan.model.name, maxTurns: ctx.agent.maxTurns }),
      workdir: ctx.agent.workdir,
      resources: { memoryMb: ctx.plan.sandbox.memory_mb, cpus: ctx.plan.sandbox.cpus, pids: ctx.plan.sandbox.pids },
      network: ctx.network,
    });
    trace.write({ type: 'sandbox.create', container_id: handle.id, image: ctx.agent.image, network: ctx.network.networkName });
    await ctx.driver.copyIn(handle, [
      { path: TICKET_FILE, content: JSON.stringify(kase.ticket, null, 2) },
      ...(ctx.prompt !== null ? [{ path: PROMPT_FILE, content: ctx.prompt }] : []),
    ]);
    const record = ctx.plan.logging.agent_output;
    await ctx.driver.start(handle, (stream, text) => {
      if (record) trace.write({ type: 'agent.output', stream, text });
    });
    trace.write({ type: 'sandbox.start', container_id: handle.id });
    // What the host sees the sandbox try (tripwire ports, pids limit) is recorded here, never taken from the agent.
    watching = await ctx.driver.watch?.(handle, (v) => trace.write({ type: 'violation', kind: v.kind, detail: v.detail }));
    const deadline = new PausableDeadline(ctx.plan.limits.max_wall_time_s * 1000 - (Date.now() - startedAt));
    const live = liveCase(key, ctx, handle, trace, deadline, (s) => {
      requested ??= s;
      stopController.abort();
    });
    hooks.onLive?.(live);
    let exit: SandboxExit;
    try {
      exit = await ctx.driver.wait(handle, 2 ** 31 - 1, AbortSignal.any([stopController.signal, ctx.signal, deadline.signal]));
    } finally {
      hooks.onLive?.(undefined);
      deadline.clear();
    }
    if (deadline.fired) exit = { ...exit, timedOut: true };
    trace.write({ type: 'sandbox.exit', exit_code: exit.exitCode, oom_killed: exit.oomKilled, timed_out: exit.timedOut });
    stop = decideStop(ctx, session, exit, requested, trace);
  } catch (err) {
    stop = { reason: 'infra_error', detail: err instanceof Error ? err.message : String(err) };
    trace.write({
      type: 'error',
      scope: 'infra',
      code: isAgentrtError(err) ? err.code : 'E_INFRA',
      message: stop.detail,
    });
  } finally {
    if (handle) {
      const destroyed = await ctx.driver.destroy(handle).then(
        () => undefined,
        (e: unknown) => String(e),
      );
      trace.write({ type: 'sandbox.destroy', container_id: handle.id, ...(destroyed ? { error: destroyed } : {}) });
      watching?.stop(); // after the removal: reports still in flight from the relay get that long to arrive
    }
  }

  const outcome = ctx.gateway.closeCase(key);
  if (stop.reason === 'completed' && outcome.escalated) stop = { reason: 'escalated', detail: outcome.escalation?.summary ?? '' };
  const durationMs = Date.now() - startedAt;
  await fs.writeFile(stateFile, JSON.stringify({ initial: initialState, final: store.snapshot() }));
  trace.write({
    type: 'case.end',
    stop: stop.reason,
    detail: stop.detail,
    usage: outcome.usage ?? ZERO_USAGE,
    cost_usd: outcome.cost_usd,
    steps: outcome.steps,
    duration_ms: durationMs,
    final_state_ref: path.basename(stateFile),
  });
  trace.close();
  return {
    caseId: kase.id,
    key,
    attempt,
    stop: stop.reason,
    detail: stop.detail,
    traceFile,
    stateFile,
    usage: outcome.usage ?? ZERO_USAGE,
    costUsd: outcome.cost_usd,
    steps: outcome.steps,
    durationMs,
    escalated: outcome.escalated,
  };
}

/** Why the case ended: a stop the gateway asked for wins, then Ctrl-C, the deadline, OOM, the exit code. */
function decideStop(ctx: RunContext, session: CaseSession, exit: SandboxExit, requested: Stop | undefined, trace: TraceWriter): Stop {
  if (requested) return requested;
  if (ctx.signal.aborted) return { reason: 'stopped', detail: 'interrupted (Ctrl-C / SIGTERM)' };
  if (exit.timedOut) {
    const max = ctx.plan.limits.max_wall_time_s;
    const action = ctx.plan.limits.on_limit;
    trace.write({ type: 'limit.hit', limit: 'wall_time', value: Math.round((Date.now() - session.startedAt) / 1000), max, action });
    if (action === 'escalate') {
      trace.write({
        type: 'escalation',
        by: 'runtime',
        reason: 'limit_hit',
        category: 'limit_hit',
        summary: `Wall-time limit of ${max}s reached on ticket ${String((session as { ticketId?: string }).ticketId ?? session.caseId)}; the agent was stopped and the case handed to a person.`,
      });
      return { reason: 'limit', detail: `wall time ${max}s reached; escalated` };
    }
    return { reason: action === 'pause' ? 'paused' : 'limit', detail: `wall time ${max}s reached` };
  }
  if (exit.oomKilled) {
    trace.write({ type: 'violation', kind: 'memory_limit', detail: `the agent exceeded the sandbox memory limit (${ctx.plan.sandbox.memory_mb} MB) and was killed` });
    return { reason: 'oom_killed', detail: `memory limit ${ctx.plan.sandbox.memory_mb} MB` };
  }
  if (exit.exitCode !== 0) return { reason: 'agent_error', detail: `agent exited with code ${exit.exitCode}` };
  return { reason: 'completed', detail: '' };
}
