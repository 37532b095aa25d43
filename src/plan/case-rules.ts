// Cross-checks of one eval case against its plan and the plan's fixture records: what the case schema alone
// cannot see. A case that names a tool, system, collection or record the plan does not have would otherwise fail
// only mid-run (or, worse, score silently wrong), so every reference is checked before anything starts.
import type { EvalCase } from './case-schema.js';
import type { PlanDiagnostic, RuntimePlan } from './schema.js';
import type { FixtureData } from '../tools/types.js';
import { CONDITION_HINT, conditionLiteralOk } from './plan-rules.js';
import { dotted, locate, type ParsedYaml } from './yaml-file.js';
import { didYouMean } from './zod-diagnostics.js';

export interface CaseContext {
  plan: RuntimePlan;
  /** The plan's base fixture records (system → collection → records). */
  fixtures: FixtureData;
}

// Same rule as the fixture store: a record id is a path segment of `system.collection.id`, so no dots or spaces
// (which also rules out `../../etc/passwd`-style ids).
const RECORD_ID = /^[^.\s]+$/;

export function caseRules(kase: EvalCase, file: string, parsed: ParsedYaml, ctx: CaseContext): PlanDiagnostic[] {
  const out: PlanDiagnostic[] = [];
  const at = (p: Array<string | number>, code: string, message: string, hint: string, preferKey = false) =>
    out.push({ file, ...locate(parsed, p, preferKey), path: dotted(p), code, message, hint, severity: 'error' });

  const tools = new Set(ctx.plan.tools.map((t) => t.name));
  const list = (xs: Iterable<string>) => [...xs].join(', ') || '(none)';
  const knownTool = (name: string, p: Array<string | number>) => {
    if (tools.has(name)) return;
    const guess = didYouMean(name, [...tools]);
    at(p, 'E_CASE_UNKNOWN_TOOL', `expected a tool the plan declares, got "${name}"`, guess ? `did you mean "${guess}"?` : `the plan's tools: ${list(tools)}`);
  };
  const collections = new Map<string, Set<string>>(
    ctx.plan.systems.map((s) => [s.name, new Set([...Object.keys(ctx.fixtures[s.name] ?? {}), ...s.read, ...s.write])]),
  );
  // Returns the collection's records when both system and collection exist, so callers can check ids.
  const knownCollection = (system: string, collection: string, p: Array<string | number>, preferKey: boolean, pc: Array<string | number> = p) => {
    const cols = collections.get(system);
    if (!cols) return void at(p, 'E_CASE_UNKNOWN_SYSTEM', `expected a system the plan declares, got "${system}"`, `the plan's systems: ${list(collections.keys())}`, preferKey);
    if (!cols.has(collection)) return void at(pc, 'E_CASE_UNKNOWN_COLLECTION', `expected a collection of ${system}, got "${collection}"`, `${system} has: ${list(cols)}`, preferKey);
    return ctx.fixtures[system]?.[collection] ?? [];
  };

  kase.approvals.forEach((a, i) => {
    knownTool(a.tool, ['approvals', i, 'tool']);
    a.when.forEach((c, j) => {
      if (!conditionLiteralOk(c)) at(['approvals', i, 'when', j], 'E_CASE_CONDITION', `expected \`<argument> <op> <JSON value>\`, got "${c}" (the value is not JSON)`, CONDITION_HINT);
    });
  });
  kase.faults.forEach((f, i) => {
    if (f.target !== 'model') knownTool(f.target, ['faults', i, 'target']);
  });
  for (const key of ['required_tools', 'forbidden_tools'] as const) {
    kase.expect[key].forEach((e, i) => knownTool(typeof e === 'string' ? e : e.tool, typeof e === 'string' ? ['expect', key, i] : ['expect', key, i, 'tool']));
  }
  kase.expect.end_state.forEach((a, i) => {
    const [system, collection] = a.record.split('.') as [string, string];
    knownCollection(system, collection, ['expect', 'end_state', i, 'record'], false);
  });
  for (const [system, cols] of Object.entries(kase.fixtures)) {
    for (const [collection, records] of Object.entries(cols)) {
      const base = knownCollection(system, collection, ['fixtures', system], true, ['fixtures', system, collection]);
      if (!base) continue;
      records.forEach((rec, n) => {
        const p = ['fixtures', system, collection, n];
        const id = rec.id;
        if (typeof id !== 'string' || !RECORD_ID.test(id)) {
          return at([...p, 'id'], 'E_CASE_FIXTURE_ID', `expected a record id without dots or spaces, got ${JSON.stringify(id) ?? 'nothing'}`, `ids look like "ACC-1001"; overrides are merged by id`);
        }
        if (rec._delete === true && !base.some((r) => r.id === id)) {
          at([...p, '_delete'], 'E_CASE_FIXTURE_DELETE', `cannot delete "${id}": ${system}.${collection} has no such record`, `existing ids: ${base.slice(0, 8).map((r) => r.id).join(', ')}${base.length > 8 ? ', …' : ''}`, true);
        }
      });
    }
  }
  return out;
}
