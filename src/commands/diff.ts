// `agentrt diff <runA> <runB>`: per-case flips and metric deltas between two stored eval runs, and what changed
// between them (plan, prompt, tools, model, fixtures, prices, image, agentrt version, git sha).
import path from 'node:path';
import type { Io } from '../io.js';
import { loadStoredResults } from '../engine/baseline.js';
import { openStoredRun } from '../engine/stored-run.js';
import { compareRuns } from '../score/compare.js';
import type { RunHeader } from '../trace/events.js';

export interface DiffOptions {
  runA: string;
  runB: string;
  json?: boolean;
  runsDir?: string;
}

export function headerChanges(a: RunHeader, b: RunHeader): Array<{ what: string; from: string | null; to: string | null }> {
  const out: Array<{ what: string; from: string | null; to: string | null }> = [];
  const add = (what: string, from: string | null, to: string | null) => {
    if (from !== to) out.push({ what, from, to });
  };
  for (const key of Object.keys({ ...a.hashes, ...b.hashes }) as Array<keyof RunHeader['hashes']>) {
    add(key, a.hashes[key] ?? null, b.hashes[key] ?? null);
  }
  add('model', `${a.model.provider}/${a.model.name}`, `${b.model.provider}/${b.model.name}`);
  add('agentrt version', a.agentrt_version, b.agentrt_version);
  add('git sha', a.git_sha, b.git_sha);
  return out;
}

export async function diff(opts: DiffOptions, io: Io): Promise<number> {
  const [a, b] = await Promise.all([openStoredRun(opts.runA, opts.runsDir), openStoredRun(opts.runB, opts.runsDir)]);
  const [ra, rb] = await Promise.all([
    loadStoredResults(path.join(a.runDir, 'results.json')),
    loadStoredResults(path.join(b.runDir, 'results.json')),
  ]);
  const comparison = compareRuns({ scores: ra.scores, cases: ra.cases }, { scores: rb.scores, cases: rb.cases });
  const changes = headerChanges(a.header, b.header);
  if (opts.json) {
    io.out(JSON.stringify({ from: a.runId, to: b.runId, changes, ...comparison }, null, 2) + '\n');
    return 0;
  }
  io.out(`${a.runId} → ${b.runId}\n\nWhat changed between the runs:\n`);
  if (!changes.length) io.out('  nothing: same plan, prompt, tools, model, fixtures, prices, image and code\n');
  for (const c of changes) io.out(`  ${c.what.padEnd(16)} ${String(c.from).slice(0, 16)} → ${String(c.to).slice(0, 16)}\n`);
  io.out('\nCase flips:\n');
  if (!comparison.flips.length) io.out('  none\n');
  for (const f of comparison.flips) io.out(`  ${f.case_id.padEnd(36)} ${f.from} → ${f.to}\n`);
  io.out('\nMetric deltas:\n');
  for (const d of comparison.deltas) {
    if (d.delta === 0) continue;
    io.out(`  ${d.metric.padEnd(36)} ${d.baseline ?? 'n/a'} → ${d.current ?? 'n/a'}\n`);
  }
  return 0;
}
