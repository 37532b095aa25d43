// Test helpers that run the real, built CLI (bin/agentrt.js → dist/) as a user would, and write plan variants.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';
import { loadPlan } from '../plan/load.js';
import type { RuntimePlan } from '../plan/schema.js';
import { repoRoot } from './fixtures.js';

export const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): ResultPromise<{ reject: false; all: true }> {
  return execa('node', [path.join(repoRoot, 'bin/agentrt.js'), ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { CI: 'true', NO_COLOR: '1', ...opts.env },
    reject: false,
    all: true,
  }) as never;
}

/**
 * The bundled plan, changed by `edit`, written to a temp dir with every path made absolute (so it points at the
 * repo's fixtures and eval set). Traces go to `<tmp>/runs`.
 */
export async function writePlanVariant(edit: (p: RuntimePlan) => RuntimePlan, opts: { runsInRepo?: boolean } = {}): Promise<{ file: string; dir: string; runsDir: string }> {
  const loaded = await loadPlan(path.join(repoRoot, 'runtime-plans/support-triage.yaml'));
  const abs = (p: string) => path.resolve(loaded.dir, p);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-plan-'));
  mkdirSync(path.join(repoRoot, '.agentrt'), { recursive: true });
  const plan = edit(structuredClone(loaded.plan));
  plan.systems = plan.systems.map((s) => ({ ...s, fixtures: abs(s.fixtures) }));
  if ('reference' in plan.agent) plan.agent.reference.prompt = abs(plan.agent.reference.prompt);
  if (plan.evals) plan.evals.path = abs(plan.evals.path);
  // Runs inside the repo (gitignored .agentrt/) when a later plan must reference them (a replay cassette).
  plan.logging.trace_dir = opts.runsInRepo ? mkdtempSync(path.join(repoRoot, '.agentrt', 'test-runs-')) : path.join(dir, 'runs');
  const file = path.join(dir, 'plan.yaml');
  writeFileSync(file, stringify(plan));
  return { file, dir, runsDir: plan.logging.trace_dir };
}

/** A bring-your-own agent given as an inline Node script (argv of the container). */
export function inlineAgent(script: string): RuntimePlan['agent'] {
  return { command: ['/usr/bin/node', '-e', script], workdir: '/workspace' };
}
