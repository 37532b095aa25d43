// `agentrt run <plan> --case <id> | --ticket <file>`: run one ticket (or a few) in the sandbox, show live progress,
// then print each case's timeline and the path of its trace.
import path from 'node:path';
import type { Io } from '../io.js';
import { UsageError, ExitCode } from '../errors.js';
import { loadPlan } from '../plan/load.js';
import { loadEvalSet, loadTicketAsCase } from '../engine/load-cases.js';
import { selectCases } from '../engine/select-cases.js';
import { execute } from '../engine/execute.js';
import { interruptController } from '../interrupt.js';
import { readTraceFile } from '../trace/reader.js';
import { buildTimeline } from '../trace/timeline.js';
import { renderTimeline } from '../report/timeline-text.js';
import { createProgressDisplay } from '../report/progress-display.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export interface RunOptions {
  plan: string;
  case?: string[];
  ticket?: string;
  approve?: 'approve' | 'deny';
  full?: boolean;
  json?: boolean;
}

export async function run(opts: RunOptions, io: Io): Promise<number> {
  // Everything that can be wrong with the input is found before any container or network exists.
  const loaded = await loadPlan(opts.plan);
  if (opts.case?.length && opts.ticket) throw new UsageError('use either --case or --ticket, not both');
  let cases;
  if (opts.ticket) {
    cases = [await loadTicketAsCase(opts.ticket)];
  } else {
    const all = await loadEvalSet(loaded);
    if (!opts.case?.length) {
      throw new UsageError('say which ticket to run: --case <id> (from the eval set) or --ticket <file>', {
        details: [`cases in this plan's eval set: ${all.map((c) => c.id).slice(0, 12).join(', ')}${all.length > 12 ? ', …' : ''}`],
      });
    }
    cases = selectCases(all, { ids: opts.case });
  }
  for (const w of loaded.warnings) io.err(`warning: ${w.path}: ${w.message}\n`);

  const display = createProgressDisplay(io, `agentrt run ${path.basename(loaded.file)} — ${cases.length} case(s)`, { verbose: true });
  const driver = await createDockerDriver();
  let execution;
  try {
    execution = await execute({
      loaded,
      cases,
      repeat: 1,
      concurrency: 1,
      command: 'run',
      driver,
      signal: interruptController.signal,
      ...(opts.approve ? { approve: opts.approve } : {}),
      onStatus: display.status,
      onRunOpen: (ctx) => display.status(`run ${ctx.runId}`),
      onCaseStart: (key, kase) => display.caseStart(key, kase.title),
      onEvent: display.event,
      onCaseEnd: (r) => display.caseEnd(r.key),
    });
  } finally {
    display.stop();
  }

  const out: unknown[] = [];
  for (const r of execution.results) {
    const { events } = await readTraceFile(r.traceFile);
    const timeline = buildTimeline(events);
    if (opts.json) out.push({ ...r, timeline });
    else {
      io.out('\n' + renderTimeline(timeline, { full: opts.full ?? false }));
      io.out(`  Trace: ${path.relative(process.cwd(), r.traceFile)}\n`);
    }
  }
  if (opts.json) io.out(JSON.stringify({ run_id: execution.runId, run_dir: execution.runDir, cases: out }, null, 2) + '\n');
  else io.out(`\nRun ${execution.runId} — replay with: agentrt replay ${execution.runId}\n`);
  return execution.results.some((r) => r.stop === 'infra_error') ? ExitCode.infra : ExitCode.ok;
}
