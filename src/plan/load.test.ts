import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, loadPlan, checkCaseFile } from './load.js';
import { PlanError } from '../errors.js';

const root = path.resolve(import.meta.dirname, '../..');
const invalidDir = path.join(root, 'fixtures/plans/invalid');
const corpus = readdirSync(invalidDir).filter((n) => n.endsWith('.yaml'));

describe('invalid plan corpus', () => {
  it('has at least 20 distinct bad plans, each with its expected errors', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it.each(corpus)('%s reports exactly its expected located errors', async (name) => {
    const expected = JSON.parse(readFileSync(path.join(invalidDir, name.replace(/\.yaml$/, '.expected.json').replace(/^(a-directory)\.expected/, '$1.yaml.expected')), 'utf8')) as Array<{ code: string; path: string; line: number }>;
    const { plan, diagnostics } = await checkPlan(path.join(invalidDir, name));
    expect(plan).toBeUndefined();
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, path: d.path, line: d.line }));
    expect(errors).toEqual(expected);
    for (const d of diagnostics) {
      expect(d.file).toContain(name);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(5);
    }
  });
});

describe('loadPlan', () => {
  it('loads the bundled support-triage plan with defaults filled', async () => {
    const loaded = await loadPlan(path.join(root, 'runtime-plans/support-triage.yaml'));
    expect(loaded.plan.environment).toBe('sandbox');
    expect(loaded.plan.tools.length).toBeGreaterThanOrEqual(12);
    expect(loaded.plan.limits.on_limit).toBe('escalate');
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.warnings).toEqual([]);
  });

  it('loads every valid fixture plan', async () => {
    for (const name of readdirSync(path.join(root, 'fixtures/plans/valid'))) {
      const { plan, diagnostics } = await checkPlan(path.join(root, 'fixtures/plans/valid', name));
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(plan?.plan.name).toBeTruthy();
    }
  });

  it('throws one PlanError listing every error in compiler style', async () => {
    const err = await loadPlan(path.join(invalidDir, 'risk-enum.yaml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).exitCode).toBe(2);
    expect((err as PlanError).details[0]).toMatch(/risk-enum\.yaml:15:\d+ error E_PLAN_ENUM tools\[0\]\.risk: expected read \| reversible \| irreversible, got "high"/);
  });

  it('suggests the right key for a misspelt one', async () => {
    const { diagnostics } = await checkPlan(path.join(invalidDir, 'misspelt-key.yaml'));
    expect(diagnostics[0]?.hint).toBe('did you mean "approvals"?');
  });

  it('names a missing file without touching anything', async () => {
    const { diagnostics } = await checkPlan(path.join(root, 'no/such/plan.yaml'));
    expect(diagnostics.map((d) => d.code)).toEqual(['E_PLAN_NOT_FOUND']);
  });
});

describe('eval case files', () => {
  it('every bundled case validates and its id matches the file name', async () => {
    const dir = path.join(root, 'evals/support-tickets');
    const files = readdirSync(dir).filter((n) => n.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) {
      const { value, diagnostics } = await checkCaseFile(path.join(dir, f));
      expect(diagnostics, f).toEqual([]);
      expect(value?.id).toBe(f.replace(/\.yaml$/, ''));
    }
  });
});
