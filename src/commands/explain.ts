// `agentrt explain <runId> <case>`: why a case failed, in a few lines — the failing score component and the step
// (denial, fault, limit, failed tool, stop rule) that led there. Scored again from the files alone.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import { UsageError } from '../errors.js';
import { openStoredRun, pickCases } from '../engine/stored-run.js';
import { recordedCases } from '../engine/recorded-cases.js';
import { loadPlan } from '../plan/load.js';
import type { TraceEvent } from '../trace/events.js';
import type { FixtureData } from '../tools/types.js';
import { scoreCase } from '../score/case-score.js';

/** The events that can turn a run: the first of them is usually where it went wrong. */
export function turningPoints(events: TraceEvent[]): Array<{ seq: number; t_ms: number; what: string }> {
  const out: Array<{ seq: number; t_ms: number; what: string }> = [];
  for (const e of events) {
    let what: string | undefined;
    if (e.type === 'limit.hit') what = `hit the ${e.limit} limit (${e.value} of ${e.max}) → ${e.action}`;
    else if (e.type === 'stop_rule') what = `stop rule "${e.rule}" (${e.trigger}) → ${e.action}: ${e.detail}`;
    else if (e.type === 'violation') what = `violation ${e.kind}: ${e.detail}`;
    else if (e.type === 'fault.injected') what = `injected fault: ${e.kind} on ${e.target}`;
    else if (e.type === 'approval.decision' && e.decision === 'deny') what = `approval denied by ${e.by}${e.reason ? `: ${e.reason}` : ''}`;
    else if (e.type === 'tool.call' && (!e.ok || e.decision === 'deny')) what = `${e.tool} ${e.decision === 'deny' ? 'denied' : 'failed'}: ${e.error ?? e.reason ?? ''}`;
    else if (e.type === 'error') what = `${e.scope} error ${e.code}: ${e.message}`;
    else if (e.type === 'approval.pending') what = `waiting for a person to decide ${e.tool} (${e.queue_id}; may decide: ${e.approvers.join(', ')})`;
    else if (e.type === 'control' && e.action === 'stop') what = `stopped by ${e.by}${e.reason ? `: ${e.reason}` : ''}`;
    else if (e.type === 'escalation') what = `escalated by ${e.by}${e.fallback ? ' (fallback)' : ''}: ${e.category ?? e.reason}`;
    if (what) out.push({ seq: e.seq, t_ms: e.t_ms, what });
  }
  return out;
}

export async function explain(opts: { run: string; case: string; runsDir?: string; json?: boolean }, io: Io): Promise<number> {
  const run = await openStoredRun(opts.run, opts.runsDir);
  const loaded = await loadPlan(path.resolve(run.header.plan_file));
  // The case as the eval set defines it, or, for an ad-hoc `run --ticket`, the recorded ticket with no expectations.
  const [rc] = await recordedCases(run, loaded, pickCases(run, [opts.case]));
  if (!rc) throw new UsageError(`the trace of case "${opts.case}" in run ${run.runId} holds no case.start`, { details: ['the run was cut before the case began; nothing to explain'] });
  const events = rc.events;
  const state = JSON.parse(await fs.readFile(rc.traceFile.replace(/\.ndjson$/, '.state.json'), 'utf8').catch(() => '{"initial":{},"final":{}}')) as { initial: FixtureData; final: FixtureData };
  const score = scoreCase({ case: rc.kase, events, initialState: state.initial, finalState: state.final, plan: loaded.plan });
  const failing = score.completion.components.filter((c) => !c.passed);
  const points = turningPoints(events);
  if (opts.json) {
    io.out(JSON.stringify({ case: opts.case, status: score.status, failing, turning_points: points, stop: score.stop_reason }, null, 2) + '\n');
    return 0;
  }
  io.out(`${opts.case}: ${score.status.toUpperCase()} (stopped: ${score.stop_reason})\n`);
  if (!failing.length) io.out('  every component passed\n');
  for (const f of failing) io.out(`  failed ${f.component}: ${f.detail}\n`);
  if (points.length) {
    io.out('  what led there:\n');
    for (const p of points.slice(0, 5)) io.out(`    step ${p.seq} at ${(p.t_ms / 1000).toFixed(2)}s: ${p.what}\n`);
  } else if (failing.length) io.out('  no denial, fault, limit or failed tool: the agent simply did not do what the case expects\n');
  io.out(`  full timeline: agentrt replay ${run.runId} --case ${opts.case}\n`);
  return 0;
}
