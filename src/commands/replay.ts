// `agentrt replay <runId> [--case <id>] [--json] [--full]`: the timeline of a stored run, from its traces alone.
import type { Io } from '../io.js';
import { openStoredRun, pickCases } from '../engine/stored-run.js';
import { readTraceFile } from '../trace/reader.js';
import { buildTimeline } from '../trace/timeline.js';
import { renderTimeline } from '../report/timeline-text.js';
import { writeHtmlReport } from '../report/write-html.js';
import { toOtlp } from '../trace/otlp.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export interface ReplayOptions {
  run: string;
  case?: string[];
  json?: boolean;
  full?: boolean;
  runsDir?: string;
  report?: 'html';
  otlp?: string;
  rerun?: boolean;
  plan?: string;
}

export async function replay(opts: ReplayOptions, io: Io): Promise<number> {
  if (opts.plan && !opts.rerun) throw new UsageError('--plan goes with --rerun', { details: ['agentrt replay <runId> --rerun --plan <changed-plan.yaml>'] });
  if (opts.rerun) {
    const { rerun } = await import('./rerun.js');
    return rerun({ run: opts.run, ...(opts.plan ? { plan: opts.plan } : {}), ...(opts.case ? { case: opts.case } : {}), ...(opts.runsDir ? { runsDir: opts.runsDir } : {}), ...(opts.json ? { json: true } : {}) }, io);
  }
  const run = await openStoredRun(opts.run, opts.runsDir);
  const cases = pickCases(run, opts.case);
  const timelines = [];
  for (const [, file] of cases) {
    const { events, badLines } = await readTraceFile(file);
    const tl = buildTimeline(events);
    timelines.push(tl);
    if (!opts.json) {
      io.out(renderTimeline(tl, { full: opts.full ?? false }));
      if (badLines.length) io.out(`  (${badLines.length} unreadable line(s) at the end: the run was cut short)\n`);
      io.out('\n');
    }
  }
  if (opts.otlp) {
    const all = [];
    for (const [, file] of cases) all.push((await readTraceFile(file)).events);
    await fs.writeFile(opts.otlp, JSON.stringify(toOtlp(all, path.basename(run.header.plan_file).replace(/\.ya?ml$/, ''))) + '\n');
    io.err(`OTLP spans: ${opts.otlp}\n`);
  }
  if (opts.report === 'html') {
    const file = await writeHtmlReport(run.runDir, run.runId, `agentrt run ${run.runId}`);
    io.err(`HTML report: ${file}\n`);
  }
  if (opts.json) io.out(JSON.stringify({ run: run.header, cases: timelines }, null, 2) + '\n');
  else {
    const h = run.header;
    io.out(
      `Run ${h.run_id} (${h.command}) started ${h.started_at} — plan ${h.plan_file} (${h.hashes.plan.slice(0, 12)}), ` +
        `model ${h.model.provider}/${h.model.name}, agentrt ${h.agentrt_version}${h.git_sha ? `, git ${h.git_sha.slice(0, 10)}` : ''}\n`,
    );
  }
  return 0;
}
