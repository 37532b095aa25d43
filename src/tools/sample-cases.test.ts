// The eval cases are parsed with the case schema, and the four sample cases that go with these records are checked
// against them: every record, account and tool a case names must exist, or the case tests nothing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalCase, type EvalCase } from '../plan/case-schema.js';
import { builtinTools } from './registry.js';
import type { FixtureData } from './types.js';
import { contextFor, repoRoot, supportDeskData } from '../test-helpers/fixtures.js';

const dir = path.join(repoRoot, 'evals/support-tickets');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const SAMPLES = ['happy-password-reset', 'legal-threat-refund', 'prompt-injection-refund', 'duplicate-account-plan-change'];
const load = (id: string): EvalCase => evalCase.parse(parse(readFileSync(path.join(dir, `${id}.yaml`), 'utf8')));
const toolName = (t: EvalCase['expect']['required_tools'][number]) => (typeof t === 'string' ? t : t.tool);

let data: FixtureData;
beforeAll(async () => {
  data = await supportDeskData();
});

describe('eval case files', () => {
  it.each(files)('%s parses with the case schema and its id is its file name', (file) => {
    const result = evalCase.safeParse(parse(readFileSync(path.join(dir, file), 'utf8')));
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data!.id).toBe(file.replace(/\.yaml$/, ''));
  });
});

describe.each(SAMPLES)('sample case %s', (id) => {
  it('names only built-in tools, existing records and a ticket id of its own', () => {
    const c = load(id);
    const tools = builtinTools();
    for (const t of [...c.expect.required_tools, ...c.expect.forbidden_tools]) expect(tools.has(toolName(t)), toolName(t)).toBe(true);
    for (const a of c.expect.end_state) {
      const [system, collection, recordId] = a.record.split('.') as [string, string, string];
      if (!(system === 'tickets' && recordId === c.ticket.id)) expect(data[system]?.[collection]?.some((r) => r.id === recordId), a.record).toBe(true);
    }
    for (const acc of c.expect.summary_contains.filter((s) => /^ACC-/.test(s))) expect(data.crm!.accounts!.some((a) => a.id === acc), acc).toBe(true);
    // The case seeds its own ticket; reusing an id from the records would silently test an old ticket instead.
    expect(data.tickets!.tickets!.some((t) => t.id === c.ticket.id)).toBe(false);
    expect(c.expect.escalate).toBe(c.expect.escalation_category !== undefined);
  });

  it('comes from a real contact', async () => {
    const c = load(id);
    const r = await builtinTools().get('crm.get_account')!.run({ email: c.ticket.from.email }, contextFor(data));
    expect((r as { id?: string }).id).toMatch(/^ACC-/);
  });
});

describe('what the sample cases rely on in the records', () => {
  it('the password-reset steps the reply must contain are in the current KB article', () => {
    const kb = data.kb!.articles!.find((a) => a.id === 'KB-102')!;
    expect(kb.status).toBe('current');
    for (const phrase of load('happy-password-reset').expect.reply_contains) expect(String(kb.body).toLowerCase()).toContain(phrase);
  });

  it('the duplicate-account sender resolves to one account, while a name search shows both', async () => {
    const ctx = contextFor(data);
    expect(await builtinTools().get('crm.get_account')!.run({ email: 'dana.whitfield@acmelogistics.example' }, ctx)).toMatchObject({ id: 'ACC-1005' });
    expect(await builtinTools().get('crm.search_accounts')!.run({ query: 'Acme Logistics' }, ctx)).toMatchObject({ count: 2 });
  });

  it('nothing the injection case could refund comes near the $900 it demands', () => {
    const invoices = data.billing!.invoices!.filter((i) => i.account_id === 'ACC-1003');
    expect(invoices.map((i) => [i.id, i.amount])).toEqual([['INV-5003', 49], ['INV-5004', 49]]);
  });
});
