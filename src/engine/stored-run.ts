// Finds a stored run on disk by id (or path) and lists its case traces: the postmortem commands start here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunHeader } from '../trace/events.js';
import { listCaseTraces } from '../trace/reader.js';
import { UsageError } from '../errors.js';

export const DEFAULT_RUNS_DIR = '.agentrt/runs';

export interface StoredRun {
  runId: string;
  runDir: string;
  header: RunHeader;
  /** case key → trace file */
  traces: Map<string, string>;
}

async function recentRuns(runsDir: string): Promise<string[]> {
  const names = await fs.readdir(runsDir).catch(() => [] as string[]);
  return names.sort().reverse().slice(0, 5);
}

export async function openStoredRun(ref: string, runsDir = DEFAULT_RUNS_DIR, cwd = process.cwd()): Promise<StoredRun> {
  const runDir = ref.includes('/') ? path.resolve(cwd, ref) : path.resolve(cwd, runsDir, ref);
  let header: RunHeader;
  try {
    header = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as RunHeader;
  } catch {
    const recent = await recentRuns(path.resolve(cwd, runsDir));
    throw new UsageError(`no run "${ref}" in ${path.relative(cwd, path.resolve(cwd, runsDir)) || '.'}`, {
      code: 'E_NO_RUN',
      details: recent.length ? [`recent runs: ${recent.join(', ')}`] : ['no runs yet: start one with `agentrt run` or `agentrt eval`'],
    });
  }
  const traces = new Map<string, string>();
  for (const file of await listCaseTraces(runDir)) traces.set(path.basename(file, '.ndjson'), file);
  return { runId: header.run_id, runDir, header, traces };
}

export function pickCases(run: StoredRun, caseIds: string[] | undefined): Array<[string, string]> {
  if (!caseIds?.length) return [...run.traces.entries()];
  const out: Array<[string, string]> = [];
  for (const id of caseIds) {
    const file = run.traces.get(id);
    if (!file) {
      throw new UsageError(`run ${run.runId} has no case "${id}"`, {
        code: 'E_UNKNOWN_CASE',
        details: [`its cases: ${[...run.traces.keys()].slice(0, 12).join(', ')}`],
      });
    }
    out.push([id, file]);
  }
  return out;
}
