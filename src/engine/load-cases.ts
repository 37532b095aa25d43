// Loads an eval set (one YAML file per case) or a single ad-hoc ticket file. Every file is validated before
// anything starts; all problems across all files are reported together.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { evalCase, ticket as ticketSchema, type EvalCase } from '../plan/case-schema.js';
import { loadCaseFile } from '../plan/load.js';
import { PlanError, isAgentrtError } from '../errors.js';
import type { LoadedPlan } from '../plan/schema.js';

export async function loadEvalSet(loaded: LoadedPlan): Promise<EvalCase[]> {
  if (!loaded.plan.evals) {
    throw new PlanError(`${path.basename(loaded.file)} has no \`evals\` section`, {
      code: 'E_NO_EVALS',
      details: ['add `evals: {path: ../evals/support-tickets}` to the plan, or run a single ticket with --ticket <file>'],
    });
  }
  const dir = path.resolve(loaded.dir, loaded.plan.evals.path);
  const names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const cases: EvalCase[] = [];
  const details: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const c = await loadCaseFile(file);
      const other = seen.get(c.id);
      if (other) details.push(`${file}:1:1 error E_CASE_DUP_ID id: "${c.id}" is also used by ${other}`);
      seen.set(c.id, file);
      cases.push(c);
    } catch (err) {
      if (isAgentrtError(err)) details.push(...(err.details.length ? err.details : [`${file}: ${err.message}`]));
      else throw err;
    }
  }
  if (details.length) throw new PlanError(`the eval set ${dir} has ${details.length} problem(s)`, { code: 'E_CASE', details });
  if (!cases.length) throw new PlanError(`the eval set ${dir} holds no case files (*.yaml)`, { code: 'E_NO_CASES' });
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
