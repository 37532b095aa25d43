import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, createFixtureStore, hashFixtures, loadFixtures } from './fixture-store.js';
import { ToolError, type FixtureData } from './types.js';
import { PlanError } from '../errors.js';

const base = (): FixtureData => ({ crm: { accounts: [{ id: 'A', plan: 'pro', tags: ['x'] }, { id: 'B', plan: 'free' }, { id: 'C', plan: 'starter' }] } });

describe('createFixtureStore', () => {
  it('records an exact before/after diff for create, update and delete, in order', () => {
    const store = createFixtureStore(base());
    const u = store.update('crm', 'accounts', 'A', { plan: 'enterprise' });
    const c = store.create('crm', 'accounts', { id: 'D', plan: 'free' });
    const d = store.delete('crm', 'accounts', 'B');
    expect(u).toEqual({ record: 'crm.accounts.A', op: 'update', before: { id: 'A', plan: 'pro', tags: ['x'] }, after: { id: 'A', plan: 'enterprise', tags: ['x'] } });
    expect(c).toEqual({ record: 'crm.accounts.D', op: 'create', before: null, after: { id: 'D', plan: 'free' } });
    expect(d).toEqual({ record: 'crm.accounts.B', op: 'delete', before: { id: 'B', plan: 'free' }, after: null });
    expect(store.diffs()).toEqual([u, c, d]);
    expect(store.snapshot().crm!.accounts!.map((a) => a.id)).toEqual(['A', 'C', 'D']);
  });

  it('isolates its state from the input, from snapshots, from returned records and from returned diffs', () => {
    const input = base();
    const store = createFixtureStore(input);
    input.crm!.accounts![0]!.plan = 'changed-input';
    (store.snapshot().crm!.accounts![0]!.tags as string[]).push('snap');
    (store.get('crm', 'accounts', 'A')!.tags as string[]).push('get');
    store.list('crm', 'accounts')[0]!.plan = 'listed';
    const diff = store.update('crm', 'accounts', 'A', { note: 'n' });
    (diff.after as { tags: string[] }).tags.push('diff');
    (store.diffs()[0]!.before as { tags: string[] }).tags.push('log');
    expect(store.get('crm', 'accounts', 'A')).toEqual({ id: 'A', plan: 'pro', tags: ['x'], note: 'n' });
    expect(store.diffs()[0]!.before).toEqual({ id: 'A', plan: 'pro', tags: ['x'] });
  });

  it('never changes state on a read, even of a collection that does not exist', () => {
    const store = createFixtureStore(base());
    const before = store.snapshot();
    expect(store.get('nope', 'things', 'x')).toBeUndefined();
    expect(store.list('crm', 'contacts')).toEqual([]);
    expect(store.snapshot()).toEqual(before);
    expect(hashFixtures(store.snapshot())).toBe(hashFixtures(before));
  });

  it('removes a field whose patch value is undefined', () => {
    const store = createFixtureStore(base());
    store.update('crm', 'accounts', 'A', { tags: undefined, plan: 'free' });
    expect(store.get('crm', 'accounts', 'A')).toEqual({ id: 'A', plan: 'free' });
    expect(Object.keys(store.get('crm', 'accounts', 'A')!)).toEqual(['id', 'plan']);
  });

  it('puts a deleted record back in its old place when it is created again', () => {
    const store = createFixtureStore(base());
    const original = store.snapshot();
    store.create('crm', 'accounts', { id: 'D' });
    store.delete('crm', 'accounts', 'B');
    store.delete('crm', 'accounts', 'A');
    store.create('crm', 'accounts', { id: 'A', plan: 'pro', tags: ['x'] });
    store.create('crm', 'accounts', { id: 'B', plan: 'free' });
    store.delete('crm', 'accounts', 'D');
    expect(store.snapshot()).toEqual(original);
  });

  it('refuses writes to missing records, duplicate ids and ids with dots', () => {
    const store = createFixtureStore(base());
    expect(() => store.update('crm', 'accounts', 'Z', {})).toThrow(new ToolError('not_found', 'no accounts record "Z" in crm'));
    expect(() => store.delete('crm', 'accounts', 'Z')).toThrow(ToolError);
    expect(() => store.create('crm', 'accounts', { id: 'A' })).toThrow('crm.accounts already has a record "A"');
    expect(() => store.create('crm', 'accounts', { id: 'a.b' })).toThrow('must be a string without dots or spaces');
    expect(store.diffs()).toEqual([]);
  });
});

describe('loadFixtures', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-fixtures-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads one file per system', async () => {
    const crm = file('crm.yaml', 'accounts:\n  - {id: A, plan: pro}\ncontacts: []\n');
    expect(await loadFixtures({ crm })).toEqual({ crm: { accounts: [{ id: 'A', plan: 'pro' }], contacts: [] } });
  });

  it('names the file and the record for missing, duplicate and dotted ids, and bad shapes', async () => {
    const bad = file('bad.yaml', 'accounts:\n  - {id: A}\n  - {name: no id}\n  - {id: A}\n  - {id: "x.y"}\n  - 7\nnotes: hello\n');
    const err = await loadFixtures({ crm: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).code).toBe('E_FIXTURES');
    expect((err as PlanError).details).toEqual([
      `${bad}: accounts[1]: every record needs a string \`id\`, got none`,
      `${bad}: accounts[2]: duplicate id "A" (also accounts[0])`,
      `${bad}: accounts[3]: id "x.y" may not contain dots or spaces`,
      `${bad}: accounts[4]: expected a record (a map with an \`id\`)`,
      `${bad}: notes: expected a list of records, got string`,
    ]);
  });

  it('reports unreadable YAML, a top-level list and a missing file, all at once', async () => {
    const broken = file('broken.yaml', 'accounts: [\n');
    const list = file('list.yaml', '- {id: A}\n');
    const err = (await loadFixtures({ a: broken, b: list, c: path.join(dir, 'missing.yaml') }).catch((e: unknown) => e)) as PlanError;
    expect(err.details).toHaveLength(3);
    expect(err.details[0]).toMatch(new RegExp(`^${broken}: `));
    expect(err.details[1]).toBe(`${list}: expected a map of collection → list of records`);
    expect(err.details[2]).toMatch(/missing\.yaml: ENOENT/);
  });
});

describe('applyOverrides', () => {
  it('merges by id (shallow), adds new records, removes `_delete` ones and leaves the base alone', () => {
    const b = base();
    const out = applyOverrides(b, { crm: { accounts: [{ id: 'A', plan: 'free' }, { id: 'B', _delete: true }, { id: 'E', plan: 'pro' }], contacts: [{ id: 'K', email: 'k@x' }] } });
    expect(out).toEqual({ crm: { accounts: [{ id: 'A', plan: 'free', tags: ['x'] }, { id: 'C', plan: 'starter' }, { id: 'E', plan: 'pro' }], contacts: [{ id: 'K', email: 'k@x' }] } });
    expect(b).toEqual(base());
  });

  it('refuses overrides without an id and deletes of records that do not exist', () => {
    const err = (() => {
      try {
        applyOverrides(base(), { crm: { accounts: [{ plan: 'x' }, { id: 'Q', _delete: true }] } });
      } catch (e) {
        return e as PlanError;
      }
    })();
    expect(err?.details).toEqual(['fixtures.crm.accounts[0]: an override needs a string `id` without dots or spaces', 'fixtures.crm.accounts[1]: cannot delete "Q": crm.accounts has no such record']);
  });
});

describe('hashFixtures', () => {
  it('does not depend on key order but does on values and record order', () => {
    const h = hashFixtures({ crm: { accounts: [{ id: 'A', plan: 'pro' }] } });
    expect(hashFixtures({ crm: { accounts: [{ plan: 'pro', id: 'A' }] } })).toBe(h);
    expect(hashFixtures({ crm: { accounts: [{ id: 'A', plan: 'free' }] } })).not.toBe(h);
    expect(hashFixtures(base())).not.toBe(hashFixtures({ crm: { accounts: [...base().crm!.accounts!].reverse() } }));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
  });
});
