// Writes the static HTML report of a run directory (used by `eval --report html` and `replay --report html`).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listCaseTraces, readTraceFile } from '../trace/reader.js';
import { buildTimeline } from '../trace/timeline.js';
import { renderHtmlReport, type HtmlCase } from './html-report.js';
import { makeRedactor } from '../trace/redact.js';

export interface HtmlExtras {
  summary?: Array<[string, string]>;
  gates?: Array<{ gate: string; passed: boolean; actual: number | null }>;
  verdicts?: Map<string, { verdict: 'pass' | 'fail' | 'infra_error'; failing?: string }>;
  secrets?: string[];
}

export async function writeHtmlReport(runDir: string, runId: string, title: string, extras: HtmlExtras = {}): Promise<string> {
  const cases: HtmlCase[] = [];
  for (const file of await listCaseTraces(runDir)) {
    const timeline = buildTimeline((await readTraceFile(file)).events);
    const key = path.basename(file, '.ndjson');
    const v = extras.verdicts?.get(key);
    cases.push({ timeline, ...(v ? { verdict: v.verdict, ...(v.failing ? { failing: v.failing } : {}) } : {}) });
  }
  const html = renderHtmlReport({ title, runId, summary: extras.summary ?? [['cases', String(cases.length)]], ...(extras.gates ? { gates: extras.gates } : {}), cases });
  const out = path.join(runDir, 'report.html');
  // Traces are already redacted; this is a second guard for anything a summary line might carry.
  await fs.writeFile(out, makeRedactor(extras.secrets ?? [], [])(html));
  return out;
}
