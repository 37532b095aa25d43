// End-state assertions on records of the final fixture state (`system.collection.id` + a dotted field path).
import type { EndStateAssertion } from '../plan/case-schema.js';
import type { FixtureData } from '../tools/types.js';

function findRecord(state: FixtureData, ref: string): unknown {
  const [system, collection, ...rest] = ref.split('.');
  const id = rest.join('.');
  return state[system!]?.[collection!]?.find((r) => r.id === id);
}

function field(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const eq = (a: unknown, b: unknown) => JSON.stringify(typeof a === 'string' ? a.toLowerCase() : a) === JSON.stringify(typeof b === 'string' ? b.toLowerCase() : b);

export function checkEndState(a: EndStateAssertion, initial: FixtureData, final: FixtureData): { passed: boolean; detail: string } {
  const where = `${a.record}${a.field ? `.${a.field}` : ''}`;
  const record = findRecord(final, a.record);
  const value = field(record, a.field);
  if (a.exists !== undefined) {
    const exists = a.field ? value !== undefined && value !== null : record !== undefined;
    return { passed: exists === a.exists, detail: exists === a.exists ? `${where} ${a.exists ? 'exists' : 'absent'}` : `${where} expected ${a.exists ? 'to exist' : 'to be absent'}` };
  }
  if (a.unchanged) {
    const before = field(findRecord(initial, a.record), a.field);
    const ok = JSON.stringify(before) === JSON.stringify(value);
    return { passed: ok, detail: ok ? `${where} unchanged` : `${where} changed from ${show(before)} to ${show(value)}` };
  }
  if (a.equals !== undefined) return { passed: eq(value, a.equals), detail: eq(value, a.equals) ? `${where} = ${show(value)}` : `${where} expected ${show(a.equals)}, got ${show(value)}` };
  if (a.not_equals !== undefined) return { passed: !eq(value, a.not_equals), detail: `${where} ${eq(value, a.not_equals) ? `must not be ${show(a.not_equals)}` : `≠ ${show(a.not_equals)}`}` };
  if (a.contains !== undefined) {
    const needle = a.contains.toLowerCase();
    const ok = typeof value === 'string' ? value.toLowerCase().includes(needle) : Array.isArray(value) && value.some((v) => JSON.stringify(v).toLowerCase().includes(needle));
    return { passed: ok, detail: ok ? `${where} mentions "${a.contains}"` : `${where} expected to mention "${a.contains}", got ${show(value)?.slice(0, 80)}` };
  }
  return { passed: record !== undefined, detail: record ? `${a.record} present` : `${a.record} not found` };
}
