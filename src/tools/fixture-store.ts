// The case's fake company systems: records from YAML, copied fresh per case. Every write returns and records a
// before/after diff, which the trace keeps and rollback reverses.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { parse } from 'yaml';
import type { RecordDiff } from '../trace/events.js';
import { PlanError } from '../errors.js';
import { ToolError, type FixtureData, type FixtureRecord, type FixtureStore } from './types.js';

const clone = <T>(v: T): T => structuredClone(v);

/** Ids become the last part of `system.collection.id` paths, so they may not hold dots or spaces. */
const ID_PATTERN = /^[^.\s]+$/;

export function createFixtureStore(data: FixtureData): FixtureStore {
  const state = clone(data);
  const log: RecordDiff[] = [];
  // Every id a collection has ever held, in order. Deleting keeps the id here, so re-creating it (an undo)
  // puts the record back in its old place and the undo restores the exact state, order included.
  const order = new Map<string, string[]>();
  for (const [s, colls] of Object.entries(state)) for (const [c, list] of Object.entries(colls)) order.set(`${s}.${c}`, list.map((r) => r.id));
  // Reads never create a collection: a read must not change the snapshot.
  const peek = (s: string, c: string): FixtureRecord[] => state[s]?.[c] ?? [];
  const coll = (s: string, c: string) => ((state[s] ??= {})[c] ??= []);
  const indexOf = (s: string, c: string, id: string) => peek(s, c).findIndex((r) => r.id === id);
  const record = (d: RecordDiff) => (log.push(d), clone(d));
  const missing = (s: string, c: string, id: string) => new ToolError('not_found', `no ${c} record "${id}" in ${s}`);

  function insertPosition(s: string, c: string, id: string): number {
    const key = `${s}.${c}`;
    const known = order.get(key) ?? [];
    const at = known.indexOf(id);
    if (at < 0) {
      order.set(key, [...known, id]);
      return peek(s, c).length;
    }
    // Before the first later record that still exists.
    const list = peek(s, c);
    for (const later of known.slice(at + 1)) {
      const i = list.findIndex((r) => r.id === later);
      if (i >= 0) return i;
    }
    return list.length;
  }

  return {
    get(s, c, id) {
      const r = peek(s, c).find((x) => x.id === id);
      return r ? clone(r) : undefined;
    },
    list: (s, c, filter) => peek(s, c).map(clone).filter((r) => (filter ? filter(r) : true)),
    create(s, c, rec) {
      if (typeof rec.id !== 'string' || !ID_PATTERN.test(rec.id)) throw new ToolError('invalid_args', `record id ${JSON.stringify(rec.id)} must be a string without dots or spaces`);
      if (indexOf(s, c, rec.id) >= 0) throw new ToolError('conflict', `${s}.${c} already has a record "${rec.id}"`);
      const at = insertPosition(s, c, rec.id);
      coll(s, c).splice(at, 0, clone(rec));
      return record({ record: `${s}.${c}.${rec.id}`, op: 'create', before: null, after: clone(rec) });
    },
    update(s, c, id, patch) {
      const i = indexOf(s, c, id);
      if (i < 0) throw missing(s, c, id);
      const list = coll(s, c);
      const before = list[i]!;
      const after = { ...clone(before), ...clone(patch), id } as FixtureRecord;
      for (const [k, v] of Object.entries(patch)) if (v === undefined) delete after[k];
      list[i] = after;
      return record({ record: `${s}.${c}.${id}`, op: 'update', before: clone(before), after: clone(after) });
    },
    delete(s, c, id) {
      const i = indexOf(s, c, id);
      if (i < 0) throw missing(s, c, id);
      const [before] = coll(s, c).splice(i, 1);
      return record({ record: `${s}.${c}.${id}`, op: 'delete', before: clone(before), after: null });
    },
    diffs: () => clone(log),
    snapshot: () => clone(state),
  };
}

/** Problems in one parsed records file, each naming the file and the record. */
function checkRecords(file: string, raw: unknown): string[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [`${file}: expected a map of collection → list of records`];
  const problems: string[] = [];
  for (const [collection, records] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(records)) {
      problems.push(`${file}: ${collection}: expected a list of records, got ${records === null ? 'nothing' : typeof records}`);
      continue;
    }
    const seen = new Map<string, number>();
    records.forEach((r: unknown, i) => {
      const at = `${file}: ${collection}[${i}]`;
      if (!r || typeof r !== 'object' || Array.isArray(r)) return void problems.push(`${at}: expected a record (a map with an \`id\`)`);
      const id = (r as { id?: unknown }).id;
      if (typeof id !== 'string' || !id) problems.push(`${at}: every record needs a string \`id\`, got ${JSON.stringify(id) ?? 'none'}`);
      else if (!ID_PATTERN.test(id)) problems.push(`${at}: id "${id}" may not contain dots or spaces`);
      else if (seen.has(id)) problems.push(`${at}: duplicate id "${id}" (also ${collection}[${seen.get(id)}])`);
      else seen.set(id, i);
    });
  }
  return problems;
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
    const found = checkRecords(file, raw);
    problems.push(...found);
    if (!found.length) data[system] = raw as Record<string, FixtureRecord[]>;
  }
  if (problems.length) throw new PlanError(`fixture records are invalid (${problems.length} problem(s))`, { code: 'E_FIXTURES', details: problems });
  return data;
}

export type FixtureOverrides = Record<string, Record<string, Array<Record<string, unknown>>>>;

/**
 * A case's overrides merged by id into the base records (shallow: a field given replaces the whole field);
 * `_delete: true` removes a record. Returns a new object; the base is untouched.
 */
export function applyOverrides(base: FixtureData, overrides: FixtureOverrides): FixtureData {
  const out = clone(base);
  const problems: string[] = [];
  for (const [system, collections] of Object.entries(overrides)) {
    for (const [collection, records] of Object.entries(collections)) {
      const list = ((out[system] ??= {})[collection] ??= []);
      records.forEach((rec, n) => {
        const at = `fixtures.${system}.${collection}[${n}]`;
        const { _delete, ...fields } = rec;
        const id = fields.id;
        if (typeof id !== 'string' || !ID_PATTERN.test(id)) return void problems.push(`${at}: an override needs a string \`id\` without dots or spaces`);
        const i = list.findIndex((r) => r.id === id);
        if (_delete === true) {
          if (i < 0) problems.push(`${at}: cannot delete "${id}": ${system}.${collection} has no such record`);
          else list.splice(i, 1);
        } else if (i >= 0) list[i] = { ...list[i]!, ...clone(fields), id };
        else list.push({ ...clone(fields), id });
      });
    }
  }
  if (problems.length) throw new PlanError('fixture overrides are invalid', { code: 'E_CASE_FIXTURES', details: problems });
  return out;
}

/** Key-order independent JSON, for hashing. Keys holding `undefined` are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function hashFixtures(data: FixtureData): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}
