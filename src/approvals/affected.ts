// The records an action would touch, with their current values, for the person deciding an approval. Found by id:
// any string argument that is the id of a record in the case's fixtures (e.g. `invoice_id: INV-2041`).
import type { FixtureData } from '../tools/types.js';
import type { AffectedRecord } from './store.js';

function strings(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > 4) return;
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out, depth + 1);
}

export function affectedRecords(state: FixtureData, args: unknown, max = 5): AffectedRecord[] {
  const ids = new Set<string>();
  strings(args, ids);
  const out: AffectedRecord[] = [];
  for (const [system, collections] of Object.entries(state)) {
    for (const [collection, records] of Object.entries(collections)) {
      for (const r of records) {
        if (ids.has(r.id) && out.length < max) out.push({ record: `${system}.${collection}.${r.id}`, current: r });
      }
    }
  }
  return out;
}
