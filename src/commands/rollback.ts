// `agentrt rollback <runId> [--case <id>] [--dry-run]`: every record a run changed, which changes are reversible
// (and with which undo tool) and which are not; without --dry-run the undos are applied to the case's fixture state
// (cases/<id>.state.json gains `rolled_back`), and what could not be reversed is reported.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import { openStoredRun, pickCases } from '../engine/stored-run.js';
import { loadPlan } from '../plan/load.js';
import { resolveTools } from '../tools/registry.js';
import { readTraceFile, eventsOf } from '../trace/reader.js';
import { createFixtureStore } from '../tools/fixture-store.js';
import { planUndo, applyUndo, type RecordedCall } from '../tools/undo.js';
import type { FixtureData } from '../tools/types.js';

export async function rollback(opts: { run: string; case?: string[]; dryRun?: boolean; runsDir?: string }, io: Io): Promise<number> {
  const run = await openStoredRun(opts.run, opts.runsDir);
  const loaded = await loadPlan(path.resolve(run.header.plan_file));
  const tools = await resolveTools(loaded.plan, loaded.dir);
  let unrecoverable = 0;
  for (const [key, file] of pickCases(run, opts.case)) {
    const calls: RecordedCall[] = eventsOf((await readTraceFile(file)).events, 'tool.call')
      .filter((c) => c.ok && c.diff.length)
      .map((c) => ({ tool: c.tool, args: c.args as Record<string, unknown>, result: c.result, diff: c.diff, callId: c.call_id }));
    if (!calls.length) continue;
    const plan = planUndo(calls, tools);
    io.out(`${key}: ${calls.length} change(s)\n`);
    for (const u of plan.calls) io.out(`  reversible   ${u.records.join(', ')}  (${u.reverses.tool} → undo with ${u.tool})\n`);
    for (const u of plan.irreversible) io.out(`  NOT reversible ${u.records.join(', ')}  (${u.tool}: ${u.why})\n`);
    unrecoverable += plan.irreversible.length;
    if (opts.dryRun) continue;
    const stateFile = file.replace(/\.ndjson$/, '.state.json');
    const state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { initial: FixtureData; final: FixtureData; rolled_back?: FixtureData };
    const store = createFixtureStore(state.final);
    const outcomes = await applyUndo(store, tools, plan.calls, { runId: run.runId, caseId: key, now: () => new Date() });
    for (const o of outcomes) io.out(`  ${o.ok ? 'undone' : 'FAILED'}  ${o.call.records.join(', ')}${o.error ? `: ${o.error}` : ''}\n`);
    unrecoverable += outcomes.filter((o) => !o.ok).length;
    await fs.writeFile(stateFile, JSON.stringify({ ...state, rolled_back: store.snapshot() }));
    io.out(`  rolled-back state written to ${path.relative(process.cwd(), stateFile)} (rolled_back)\n`);
  }
  if (opts.dryRun) io.out('dry run: nothing was changed\n');
  if (unrecoverable) io.out(`${unrecoverable} change(s) could not be reversed: they need a person (see the rollback section of the plan)\n`);
  return 0;
}
