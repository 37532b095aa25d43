// The hostile eval-case corpus (fixtures/cases/invalid/<name>/: an eval set each, with expected.json) at the loader:
// every file gets exactly its expected located errors, each saying what was expected, what it got, or how to fix it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEvalSet, loadEvalSet } from './load-cases.js';
import { loadPlan } from '../plan/load.js';
import { PlanError } from '../errors.js';
import { repoRoot } from '../test-helpers/fixtures.js';
import type { LoadedPlan } from '../plan/schema.js';

const corpusDir = path.join(repoRoot, 'fixtures/cases/invalid');
const corpus = readdirSync(corpusDir).sort();
const bundled = () => loadPlan(path.join(repoRoot, 'runtime-plans/support-triage.yaml'));
const withEvals = (loaded: LoadedPlan, dir: string): LoadedPlan => ({ ...loaded, plan: { ...loaded.plan, evals: { ...loaded.plan.evals!, path: dir } } });

interface Expected { file: string; line: number; column: number; path: string; code: string }

describe('hostile eval-case corpus (loader)', () => {
  it('holds at least 30 eval sets', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });

  it.each(corpus)('%s: exactly its expected located errors', async (name) => {
    const dir = path.join(corpusDir, name);
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected[];
    expect(expected.length).toBeGreaterThan(0);
    const { cases, diagnostics } = await checkEvalSet(withEvals(await bundled(), dir));
    expect(diagnostics.map((d) => ({ file: path.relative(dir, d.file) || '.', line: d.line, column: d.column, path: d.path, code: d.code }))).toEqual(expected);
    for (const d of diagnostics) {
      expect(d.severity).toBe('error');
      // A located error says what it got (or what is missing), or offers a fix; most do both.
      expect(/got |is missing/.test(d.message) || Boolean(d.hint), `${d.code}: ${d.message}`).toBe(true);
    }
    if (name !== 'dup-id') expect(cases).toEqual([]);
  });

  it('loadEvalSet throws one PlanError (exit 2) with every problem as file:line:col code path: message', async () => {
    const dir = path.join(corpusDir, 'unknown-required-tool');
    const err = (await loadEvalSet(withEvals(await bundled(), dir)).catch((e: unknown) => e)) as PlanError;
    expect(err).toBeInstanceOf(PlanError);
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe('E_CASE_UNKNOWN_TOOL');
    expect(err.details).toEqual([
      `${dir}/unknown-required-tool.yaml:14:14 error E_CASE_UNKNOWN_TOOL expect.required_tools[1].tool: expected a tool the plan declares, got "crm.delete_everything" (hint: the plan's tools: ${(await bundled()).plan.tools.map((t) => t.name).join(', ')})`,
    ]);
  });

  it('a misspelt tool gets a did-you-mean fix', async () => {
    const { diagnostics } = await checkEvalSet(withEvals(await bundled(), path.join(corpusDir, 'unknown-fault-target')));
    expect(diagnostics[0]?.hint).toBe('did you mean "kb.search"?');
  });

  it('the bundled eval set passes every cross-check against the bundled plan', async () => {
    const { cases, diagnostics } = await checkEvalSet(await bundled());
    expect(diagnostics).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});
