// The case's fake company systems: records from YAML, copied fresh per case. Every write returns and records a
// before/after diff, which the trace keeps and rollback reverses.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { parse } from 'yaml';
import type { RecordDiff } from '../trace/events.js';
import { PlanError } from '../errors.js';
import { ToolError, type FixtureData, type FixtureRecord, type FixtureStore } from './types.js';

const clone = <T>(v: T): T => structuredClone(v);

export function createFixtureStore(data: FixtureData): FixtureStore {
  const state = clone(data);
  const log: RecordDiff[] = [];
  const coll = (system: string, collection: string) => ((state[system] ??= {})[collection] ??= []);
  const find = (system: string, collection: string, id: string) => coll(system, collection).findIndex((r) => r.id === id);
  const record = (d: RecordDiff) => (log.push(d), clone(d));
  return {
    get: (s, c, id) => {
      const r = coll(s, c).find((x) => x.id === id);
      return r ? clone(r) : undefined;
    },
    list: (s, c, filter) => coll(s, c).filter((r) => (filter ? filter(r) : true)).map(clone),
    create(s, c, rec) {
      if (find(s, c, rec.id) >= 0) throw new ToolError('conflict', `${s}.${c} already has a record "${rec.id}"`);
      coll(s, c).push(clone(rec));
      return record({ record: `${s}.${c}.${rec.id}`, op: 'create', before: null, after: clone(rec) });
    },
    update(s, c, id, patch) {
      const i = find(s, c, id);
      if (i < 0) throw new ToolError('not_found', `no ${c} record "${id}" in ${s}`);
      const list = coll(s, c);
      const before = list[i]!;
      const after = { ...clone(before), ...clone(patch), id } as FixtureRecord;
      list[i] = after;
      return record({ record: `${s}.${c}.${id}`, op: 'update', before: clone(before), after: clone(after) });
    },
    delete(s, c, id) {
      const i = find(s, c, id);
      if (i < 0) throw new ToolError('not_found', `no ${c} record "${id}" in ${s}`);
      const [before] = coll(s, c).splice(i, 1);
      return record({ record: `${s}.${c}.${id}`, op: 'delete', before: clone(before), after: null });
    },
    diffs: () => clone(log),
    snapshot: () => clone(state),
  };
}

/** Reads `fixtures/records/<system>.yaml` files: a map of collection → list of records, each with a string id. */
export async function loadFixtures(files: Record<string, string>): Promise<FixtureData> {
  const data: FixtureData = {};
  const problems: string[] = [];
  for (const [system, file] of Object.entries(files)) {
    let raw: unknown;
    try {
      raw = parse(await fs.readFile(file, 'utf8'), { maxAliasCount: 100 });
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(`${file}: expected a map of collection → list of records`);
      continue;
    }
    data[system] = {};
    for (const [collection, records] of Object.entries(raw as Record<string, unknown>)) {
      if (!Array.isArray(records)) {
        problems.push(`${file}: ${collection}: expected a list of records`);
        continue;
      }
      const ids = new Set<string>();
      records.forEach((r: unknown, i) => {
        const id = (r as { id?: unknown } | null)?.id;
        if (typeof id !== 'string' || !id) problems.push(`${file}: ${collection}[${i}]: every record needs a string \`id\``);
        else if (ids.has(id)) problems.push(`${file}: ${collection}[${i}]: duplicate id "${id}"`);
        else ids.add(id);
      });
      data[system]![collection] = records as FixtureRecord[];
    }
  }
  if (problems.length) throw new PlanError('fixture records are invalid', { code: 'E_FIXTURES', details: problems });
  return data;
}

/** A case's overrides merged by id into the base records; `_delete: true` removes one. Returns a new object. */
export function applyOverrides(base: FixtureData, overrides: Record<string, Record<string, Array<Record<string, unknown>>>>): FixtureData {
  const out = clone(base);
  for (const [system, collections] of Object.entries(overrides)) {
    for (const [collection, records] of Object.entries(collections)) {
      const list = ((out[system] ??= {})[collection] ??= []);
      for (const rec of records) {
        const id = String(rec.id);
        const i = list.findIndex((r) => r.id === id);
        if (rec._delete) {
          if (i >= 0) list.splice(i, 1);
          continue;
        }
        if (i >= 0) list[i] = { ...list[i]!, ...clone(rec), id } as FixtureRecord;
        else list.push({ ...clone(rec), id } as FixtureRecord);
      }
    }
  }
  return out;
}

/** Key-order independent JSON, for hashing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function hashFixtures(data: FixtureData): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}
