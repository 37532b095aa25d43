// YAML → zod → cross-field rules, for plans and eval cases. Pure: reads the file, never prints, never writes.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PlanError } from '../errors.js';
import { evalCase, type EvalCase } from './case-schema.js';
import { caseRules, type CaseContext } from './case-rules.js';
import { runtimePlan, type LoadedPlan, type PlanDiagnostic } from './schema.js';
import { planRules } from './plan-rules.js';
import { diag, dotted, formatDiagnostic, locate, readYaml, type ParsedYaml } from './yaml-file.js';
import { zodDiagnostics } from './zod-diagnostics.js';

export interface CheckResult<T> {
  value?: T;
  diagnostics: PlanDiagnostic[];
}

/** YAML → plain data; an alias bomb ("billion laughs") is refused here instead of exhausting memory. */
function toData(file: string, parsed: ParsedYaml): { value: unknown } | { diagnostic: PlanDiagnostic } {
  try {
    const value: unknown = parsed.doc.toJS({ maxAliasCount: 100 });
    const bad = hostileShape(value, []);
    if (bad?.what === 'deep') {
      return { diagnostic: diag(file, 'E_PLAN_TOO_DEEP', `expected at most ${MAX_DEPTH} levels of nesting, got deeper`, locate(parsed, bad.path), { path: dotted(bad.path), hint: 'plans and cases are a few levels deep; this looks generated or hostile' }) };
    }
    if (bad) {
      return { diagnostic: diag(file, 'E_PLAN_RESERVED_KEY', 'expected a plain key, got "__proto__"', locate(parsed, bad.path, true), { path: dotted(bad.path), hint: 'rename the key; "__proto__" is reserved in JavaScript' }) };
    }
    return { value };
  } catch (err) {
    return { diagnostic: diag(file, 'E_PLAN_ALIAS_BOMB', `YAML aliases expand too much: ${(err as Error).message}`, undefined, { hint: 'use fewer aliases (*ref)' }) };
  }
}

// Far deeper than any plan or case needs, far shallower than what would strain the scorers or the trace writer.
const MAX_DEPTH = 32;

/**
 * The first place where the data is nested deeper than MAX_DEPTH or has a `__proto__` key (which the schema would
 * silently drop, or a later merge would turn into prototype pollution), or undefined.
 */
function hostileShape(value: unknown, at: Array<string | number>): { path: Array<string | number>; what: 'deep' | 'proto' } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if (at.length >= MAX_DEPTH) return { path: at, what: 'deep' };
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (k === '__proto__') return { path: [...at, k], what: 'proto' };
    const found = hostileShape(v, [...at, k]);
    if (found) return found;
  }
  return undefined;
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

/** One case file; with `ctx`, also its references to the plan's tools, systems, collections and records. */
export async function checkCaseFile(file: string, ctx?: CaseContext): Promise<CheckResult<EvalCase>> {
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
        { file, ...locate(parsed, ['id']), path: 'id', code: 'E_CASE_ID_FILE', message: `expected the id to match the file name "${expected}", got "${result.data.id}"`, hint: `rename the file to ${result.data.id}.yaml or change the id`, severity: 'error' },
      ],
    };
  }
  const rules = ctx ? caseRules(result.data, file, parsed, ctx) : [];
  if (errorsOf(rules).length) return { diagnostics: [...diagnostics, ...rules] };
  return { value: result.data, diagnostics };
}

export async function loadCaseFile(file: string): Promise<EvalCase> {
  const { value, diagnostics } = await checkCaseFile(file);
  if (!value) fail(file, 'eval case', diagnostics);
  return value;
}
