// Excluded data: fields the agent must never see are removed from tool results of their system, at any depth.
import type { FixtureData } from '../tools/types.js';
import type { RuntimePlan } from '../plan/schema.js';

export function removeExcluded(plan: RuntimePlan, toolSystem: string, value: unknown): { value: unknown; removed: string[] } {
  const fields = plan.excluded_data.map((e) => e.field.split('.')).filter(([system]) => system === toolSystem).map((p) => p[2]!);
  if (!fields.length) return { value, removed: [] };
  const removed = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (fields.includes(k)) removed.add(k);
        else out[k] = walk(x);
      }
      return out;
    }
    return v;
  };
  const cleaned = walk(value);
  const names = plan.excluded_data.filter((e) => e.field.startsWith(`${toolSystem}.`) && removed.has(e.field.split('.')[2]!)).map((e) => e.field);
  return { value: cleaned, removed: names };
}

/** Every system's records without the excluded fields: what a person deciding an approval may be shown. */
export function withoutExcluded(plan: RuntimePlan, data: FixtureData): FixtureData {
  return Object.fromEntries(Object.entries(data).map(([system, cols]) => [system, removeExcluded(plan, system, cols).value as FixtureData[string]]));
}
