// YAML → zod → cross-field rules, for plans and eval cases. Pure: reads the file, never prints, never writes.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PlanError } from '../errors.js';
import { evalCase, type EvalCase } from './case-schema.js';
import { runtimePlan, type LoadedPlan, type PlanDiagnostic } from './schema.js';
import { planRules } from './plan-rules.js';
import { diag, formatDiagnostic, readYaml, type ParsedYaml } from './yaml-file.js';
import { zodDiagnostics } from './zod-diagnostics.js';

export interface CheckResult<T> {
  value?: T;
  diagnostics: PlanDiagnostic[];
}

/** YAML → plain data; an alias bomb ("billion laughs") is refused here instead of exhausting memory. */
function toData(file: string, parsed: ParsedYaml): { value: unknown } | { diagnostic: PlanDiagnostic } {
  try {
    return { value: parsed.doc.toJS({ maxAliasCount: 100 }) };
  } catch (err) {
    return { diagnostic: diag(file, 'E_PLAN_ALIAS_BOMB', `YAML aliases expand too much: ${(err as Error).message}`, undefined, { hint: 'use fewer aliases (*ref)' }) };
  }
}

const errorsOf = (d: PlanDiagnostic[]) => d.filter((x) => x.severity === 'error');

export async function checkPlan(file: string): Promise<{ plan?: LoadedPlan; diagnostics: PlanDiagnostic[] }> {
  const { parsed, diagnostics } = await readYaml(file);
  if (!parsed || errorsOf(diagnostics).length) return { diagnostics };
  const data = toData(file, parsed);
  if ('diagnostic' in data) return { diagnostics: [data.diagnostic] };
  const result = runtimePlan.safeParse(data.value, { reportInput: true });
  if (!result.success) return { diagnostics: zodDiagnostics(file, parsed, runtimePlan, result.error) };
  const dir = path.dirname(path.resolve(file));
  const all = [...diagnostics, ...planRules(result.data, file, dir, parsed)];
  const warnings = all.filter((d) => d.severity === 'warning');
  if (errorsOf(all).length) return { diagnostics: all };
  return {
    plan: { plan: result.data, file: path.resolve(file), dir, hash: createHash('sha256').update(parsed.bytes).digest('hex'), warnings },
    diagnostics: all,
  };
}

function fail(file: string, what: string, diagnostics: PlanDiagnostic[]): never {
  const errors = errorsOf(diagnostics);
  throw new PlanError(`${file} is not a valid ${what}: ${errors.length} error${errors.length === 1 ? '' : 's'}`, {
    code: errors[0]?.code ?? 'E_PLAN',
    details: errors.map(formatDiagnostic),
  });
}

/** The plan, or a PlanError listing every located error. */
export async function loadPlan(file: string): Promise<LoadedPlan> {
  const { plan, diagnostics } = await checkPlan(file);
  if (!plan) fail(file, 'runtime plan', diagnostics);
  return plan;
}

export async function checkCaseFile(file: string): Promise<CheckResult<EvalCase>> {
  const { parsed, diagnostics } = await readYaml(file);
  if (!parsed || errorsOf(diagnostics).length) return { diagnostics };
  const data = toData(file, parsed);
  if ('diagnostic' in data) return { diagnostics: [data.diagnostic] };
  const result = evalCase.safeParse(data.value, { reportInput: true });
  if (!result.success) return { diagnostics: zodDiagnostics(file, parsed, evalCase, result.error) };
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (result.data.id !== expected) {
    return {
      diagnostics: [
        { file, line: 1, column: 1, path: 'id', code: 'E_CASE_ID_FILE', message: `case id "${result.data.id}" does not match its file name "${expected}"`, hint: `rename the file to ${result.data.id}.yaml or change the id`, severity: 'error' },
      ],
    };
  }
  return { value: result.data, diagnostics };
}

export async function loadCaseFile(file: string): Promise<EvalCase> {
  const { value, diagnostics } = await checkCaseFile(file);
  if (!value) fail(file, 'eval case', diagnostics);
  return value;
}
