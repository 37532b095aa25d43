// Runs a set of cases (× repeats) inside one run: open the run, a bounded pool of case runners, guaranteed
// teardown, and Ctrl-C turned into exit 130 after the containers are gone. `run`, `eval` and `replay` all use it;
// they differ only in which cases, where approvals come from and how results are shown.
import type { EvalCase } from '../plan/case-schema.js';
import type { LoadedPlan } from '../plan/schema.js';
import type { RunHeader, TraceEvent } from '../trace/events.js';
import type { SandboxDriver } from '../sandbox/driver.js';
import { InterruptedError } from '../errors.js';
import { fixedApprover, planDefaultApprover, scriptedApprover, type Approver } from '../gateway/approver.js';
import { openRun, closeRun, type OpenRunOptions, type RunContext } from './run-context.js';
import { runCase, type CaseOptions, type CaseResult, type LiveCase } from './case-runner.js';
import type { Provider } from '../providers/types.js';
import { watchControls } from './control-watch.js';
import { caseKey } from './run-id.js';

export interface ExecuteOptions {
  loaded: LoadedPlan;
  cases: EvalCase[];
  repeat: number;
  concurrency: number;
  command: RunHeader['command'];
  driver: SandboxDriver;
  signal: AbortSignal;
  /** `--approve approve|deny`: one answer for every approval. */
  approve?: 'approve' | 'deny';
  parentRunId?: string;
  resume?: OpenRunOptions['resume'];
  /** Case attempts already finished (resume): skipped. */
  skip?: Set<string>;
  /** Who answers approvals for a case (default: `--approve`, else the case's script, else the rule's default). */
  approverFor?: (kase: EvalCase, key: string, ctx: RunContext) => Approver;
  /** Per-case provider, clock and replay source (rerun and resume re-drive recorded cases). */
  caseOptions?: (key: string, kase: EvalCase, attempt: number) => Promise<CaseOptions> | CaseOptions;
  /** Use this provider instead of the plan's (rerun: no model key is needed, no model call is made). */
  provider?: Provider;
  /** The recorded run's seed, so every seeded choice (fault rates) is made the same way again. */
  seed?: number;
  onStatus?: (text: string) => void;
  onRunOpen?: (ctx: RunContext) => void;
  onCaseStart?: (key: string, kase: EvalCase, attempt: number) => void;
  onEvent?: (key: string, ev: TraceEvent) => void;
  /** Awaited before the worker takes the next case (scoring happens here in `eval`). */
  onCaseEnd?: (result: CaseResult, kase: EvalCase) => void | Promise<void>;
}

export interface Execution {
  runId: string;
  runDir: string;
  header: RunHeader;
  results: CaseResult[];
}

export function approverFor(kase: EvalCase, approve?: 'approve' | 'deny'): Approver {
  if (approve) return fixedApprover(approve, 'cli --approve');
  return scriptedApprover(kase.approvals, planDefaultApprover());
}

export async function execute(opts: ExecuteOptions): Promise<Execution> {
  const ctx = await openRun({
    loaded: opts.loaded,
    command: opts.command,
    driver: opts.driver,
    signal: opts.signal,
    ...(opts.parentRunId ? { parentRunId: opts.parentRunId } : {}),
    ...(opts.resume ? { resume: opts.resume } : {}),
    ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  opts.onRunOpen?.(ctx);
  const queue: Array<{ kase: EvalCase; attempt: number }> = [];
  for (let attempt = 1; attempt <= opts.repeat; attempt++) for (const kase of opts.cases) if (!opts.skip?.has(caseKey(kase.id, attempt))) queue.push({ kase, attempt });
  const live = new Map<string, LiveCase>();
  // `agentrt stop <run>` also means: start no further case.
  const control = await watchControls(ctx, live, () => (queue.length = 0));
  const results: CaseResult[] = [];
  let teardownError: unknown;
  try {
    const worker = async () => {
      for (;;) {
        if (opts.signal.aborted) return;
        const next = queue.shift();
        if (!next) return;
        const key = caseKey(next.kase.id, next.attempt);
        opts.onCaseStart?.(key, next.kase, next.attempt);
        const approver = opts.approverFor ? opts.approverFor(next.kase, key, ctx) : approverFor(next.kase, opts.approve);
        const extra = (await opts.caseOptions?.(key, next.kase, next.attempt)) ?? {};
        const result = await runCase(ctx, next.kase, next.attempt, approver, {
          ...extra,
          onEvent: (ev) => opts.onEvent?.(key, ev),
          onLive: (c) => (c ? live.set(key, c) : live.delete(key)),
        });
        results.push(result);
        await opts.onCaseEnd?.(result, next.kase);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, queue.length)) }, worker));
  } finally {
    await control.close();
    await closeRun(ctx).catch((err: unknown) => {
      teardownError = err;
    });
  }
  if (opts.signal.aborted) throw new InterruptedError(`interrupted; run ${ctx.runId} was stopped and its containers removed`);
  const execution = { runId: ctx.runId, runDir: ctx.runDir, header: ctx.header, results };
  // The engine died under the run: still an infrastructure error, but the cases that finished are kept on it so
  // `eval` can score and save them (see partialExecution).
  if (teardownError) throw Object.assign(teardownError as object, { execution });
  return execution;
}

/** The run's results carried by an error whose teardown failed, or undefined. */
export function partialExecution(err: unknown): Execution | undefined {
  return (err as { execution?: Execution } | undefined)?.execution;
}
