// Excluded values as canaries: the values of every excluded field in the case's fixtures. The agent never sees
// them (results are redacted), so one appearing in a write means it leaked some other way — a violation, blocked.
import type { RuntimePlan } from '../plan/schema.js';
import type { FixtureData } from '../tools/types.js';

export function collectCanaries(plan: RuntimePlan, data: FixtureData): string[] {
  const out = new Set<string>();
  for (const { field } of plan.excluded_data) {
    const [system, collection, name] = field.split('.') as [string, string, string];
    for (const r of data[system]?.[collection] ?? []) {
      const v = r[name];
      if ((typeof v === 'string' && v.trim().length >= 6) || (typeof v === 'number' && String(v).length >= 6)) out.add(String(v).trim());
    }
  }
  return [...out];
}

/** The canary found in the arguments, compared without spaces or dashes so "4111-1111…" matches "4111 1111…". */
export function findCanary(args: unknown, canaries: string[]): string | undefined {
  const squash = (s: string) => s.replace(/[\s-]/g, '').toLowerCase();
  const text = squash(JSON.stringify(args) ?? '');
  return canaries.find((c) => squash(c).length >= 6 && text.includes(squash(c)));
}
