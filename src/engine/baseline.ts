// `--baseline <runId|path>`: a stored run's scores, from its results.json, for per-case flips and metric deltas.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LoadedPlan } from '../plan/schema.js';
import type { RunScores } from '../score/aggregate.js';
import type { CaseScore } from '../score/case-score.js';
import { UsageError } from '../errors.js';

export interface StoredResults {
  run_id: string;
  scores: RunScores;
  cases: CaseScore[];
  header?: unknown;
}

/** A run id is looked up under the plan's trace dir; anything with a slash or ending in .json is a path. */
export function resultsPath(ref: string, loaded: Pick<LoadedPlan, 'plan'>, cwd = process.cwd()): string {
  if (ref.endsWith('.json')) return path.resolve(cwd, ref);
  if (ref.includes('/')) return path.resolve(cwd, ref, 'results.json');
  return path.resolve(cwd, loaded.plan.logging.trace_dir, ref, 'results.json');
}

export async function loadStoredResults(file: string): Promise<StoredResults> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new UsageError(`no stored results at ${file}`, {
      code: 'E_NO_RUN',
      details: ['give a run id from .agentrt/runs/ (an eval run: it writes results.json) or the path of a results.json'],
    });
  }
  const parsed = JSON.parse(text) as StoredResults;
  if (!parsed.scores || !Array.isArray(parsed.cases)) throw new UsageError(`${file} is not an agentrt results.json`);
  return parsed;
}

export async function loadBaseline(ref: string, loaded: Pick<LoadedPlan, 'plan'>): Promise<{ scores: RunScores; cases: CaseScore[] }> {
  const stored = await loadStoredResults(resultsPath(ref, loaded));
  return { scores: stored.scores, cases: stored.cases };
}
