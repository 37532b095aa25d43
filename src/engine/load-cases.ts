// Loads an eval set (one YAML file per case) or a single ad-hoc ticket file. Every file is validated before
// anything starts; all problems across all files are reported together, each located (file:line:col path).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { evalCase, ticket as ticketSchema, type EvalCase } from '../plan/case-schema.js';
import { checkCaseFile } from '../plan/load.js';
import { allowedRoots } from '../plan/plan-rules.js';
import { diag, formatDiagnostic, locate, readYaml } from '../plan/yaml-file.js';
import { loadFixtures } from '../tools/fixture-store.js';
import { PlanError } from '../errors.js';
import type { LoadedPlan, PlanDiagnostic } from '../plan/schema.js';

/** Every case of the plan's eval set, checked against the plan; diagnostics for every problem in every file. */
export async function checkEvalSet(loaded: LoadedPlan): Promise<{ dir: string; cases: EvalCase[]; diagnostics: PlanDiagnostic[] }> {
  if (!loaded.plan.evals) {
    throw new PlanError(`${path.basename(loaded.file)} has no \`evals\` section`, {
      code: 'E_NO_EVALS',
      details: ['add `evals: {path: ../evals/support-tickets}` to the plan, or run a single ticket with --ticket <file>'],
    });
  }
  const dir = path.resolve(loaded.dir, loaded.plan.evals.path);
  const ctx = { plan: loaded.plan, fixtures: await loadFixtures(Object.fromEntries(loaded.plan.systems.map((s) => [s.name, path.resolve(loaded.dir, s.fixtures)]))) };
  const roots = allowedRoots(loaded.dir);
  const names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const cases: EvalCase[] = [];
  const diagnostics: PlanDiagnostic[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    // A case file that is a link out of the project would let an eval set read any file on the host.
    const real = await fs.realpath(file).catch(() => file);
    if (!roots.some((r) => real === r || real.startsWith(r + path.sep))) {
      diagnostics.push(diag(file, 'E_CASE_PATH_ESCAPE', `expected a case file inside the project, got a link to ${real}`, undefined, { hint: `copy the case into ${dir} instead of linking it` }));
      continue;
    }
    const { value, diagnostics: found } = await checkCaseFile(file, ctx);
    diagnostics.push(...found.filter((d) => d.severity === 'error'));
    if (!value) continue;
    const other = seen.get(value.id);
    if (other) {
      const { parsed } = await readYaml(file);
      const at = parsed ? locate(parsed, ['id']) : undefined;
      diagnostics.push(diag(file, 'E_CASE_DUP_ID', `expected a unique case id, got "${value.id}", also used by ${path.basename(other)}`, at, { path: 'id', hint: 'keep one of the two files (x.yaml and x.yml name the same case)' }));
    }
    seen.set(value.id, file);
    cases.push(value);
  }
  if (!names.length) diagnostics.push(diag(dir, 'E_NO_CASES', 'expected case files (*.yaml) in the eval set, got none', undefined, { hint: 'add one YAML file per case, or fix `evals.path`' }));
  return { dir, cases, diagnostics };
}

export async function loadEvalSet(loaded: LoadedPlan): Promise<EvalCase[]> {
  const { dir, cases, diagnostics } = await checkEvalSet(loaded);
  if (diagnostics.length) {
    throw new PlanError(`the eval set ${dir} has ${diagnostics.length} problem(s)`, { code: diagnostics[0]!.code, details: diagnostics.map(formatDiagnostic) });
  }
  return cases;
}

/** `agentrt run --ticket file`: a bare ticket (YAML or JSON) becomes a case with no expectations. */
export async function loadTicketAsCase(file: string): Promise<EvalCase> {
  const { parse } = await import('yaml');
  let raw: unknown;
  try {
    raw = parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new PlanError(`cannot read ticket file ${file}: ${err instanceof Error ? err.message : String(err)}`, { code: 'E_TICKET' });
  }
  const parsed = ticketSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PlanError(`${file} is not a ticket`, {
      code: 'E_TICKET',
      details: parsed.error.issues.map((i) => `${file} ${i.path.join('.') || '(root)'}: ${i.message}`),
    });
  }
  const id = `adhoc-${path.basename(file).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
  return evalCase.parse({ id, title: parsed.data.subject || id, category: 'happy_path', ticket: parsed.data, expect: { escalate: false } });
}
