// `eval --resume <runId>`: which case attempts of an interrupted run finished (their trace ends with case.end),
// and a clean slate for the rest (their partial traces are moved aside, so one complete result comes out).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EvalCase } from '../plan/case-schema.js';
import { readTraceFile } from '../trace/reader.js';
import { openStoredRun, type StoredRun } from './stored-run.js';
import { caseKey } from './run-id.js';
import type { CaseResult } from './case-runner.js';
import { ZERO_USAGE } from '../trace/events.js';

export async function prepareResume(runId: string, runsDir: string, cases: EvalCase[], repeat: number): Promise<{ run: StoredRun; done: CaseResult[] }> {
  const run = await openStoredRun(runId, runsDir);
  const done: CaseResult[] = [];
  for (const kase of cases) {
    for (let attempt = 1; attempt <= repeat; attempt++) {
      const key = caseKey(kase.id, attempt);
      const traceFile = run.traces.get(key);
      if (!traceFile) continue;
      const end = (await readTraceFile(traceFile)).events.find((e) => e.type === 'case.end');
      if (end && end.type === 'case.end' && end.stop !== 'infra_error') {
        done.push({ caseId: kase.id, key, attempt, stop: end.stop, detail: end.detail, traceFile, stateFile: traceFile.replace(/\.ndjson$/, '.state.json'), usage: end.usage ?? ZERO_USAGE, costUsd: end.cost_usd, steps: end.steps, durationMs: end.duration_ms, escalated: false });
      } else {
        // Keep the interrupted attempt for the postmortem, out of the way of the new one.
        await fs.rename(traceFile, path.join(path.dirname(traceFile), `${key}.interrupted-${Date.now()}.ndjson.partial`));
      }
    }
  }
  return { run, done };
}
