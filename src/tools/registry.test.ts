import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinTools, hashToolDefinitions, resolveTools } from './registry.js';
import { loadPlan } from '../plan/load.js';
import type { RuntimePlan } from '../plan/schema.js';
import { PlanError } from '../errors.js';
import { contextFor, repoRoot } from '../test-helpers/fixtures.js';

type ToolSpec = RuntimePlan['tools'][number];
const spec = (over: Partial<ToolSpec> & { name: string }): ToolSpec => ({ system: 'crm', verb: 'do it', description: 'From the plan.', risk: 'read', idempotent: false, timeout_ms: 1000, ...over });

let bundled: RuntimePlan;
const planDir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-tools-'));
const withTools = (...tools: ToolSpec[]): RuntimePlan => ({ ...bundled, tools });
const write = (name: string, text: string) => writeFileSync(path.join(planDir, name), text);

beforeAll(async () => {
  bundled = (await loadPlan(path.join(repoRoot, 'runtime-plans/support-triage.yaml'))).plan;
  write('echo.mjs', `export default { name: 'custom.echo', system: 'crm', description: 'Echo', risk: 'read',
    input: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
    run: (args, ctx) => ({ echoed: args.text, call: ctx.callId }) };\n`);
  write('named.mjs', `export const tool = { name: 'other.name', system: 'crm', description: 'Named', risk: 'reversible', undo: 'custom.named', input: { type: 'object' }, run: () => 'named' };\n`);
  write('bad.mjs', `export default { name: 'custom.bad', risk: 'high', input: { type: 'string' } };\n`);
  write('empty.mjs', `export const somethingElse = 1;\n`);
  write('broken.mjs', `export default {;\n`);
});

describe('builtinTools', () => {
  const tools = builtinTools();
  it('has the support-desk verbs across all three risk classes', () => {
    expect([...tools.keys()].sort()).toEqual([
      'billing.get_invoices', 'billing.refund', 'crm.get_account', 'crm.search_accounts', 'crm.update_plan', 'email.send_customer',
      'eng.close_issue', 'eng.create_issue', 'eng.search_issues', 'handoff.escalate', 'handoff.withdraw', 'kb.get_article', 'kb.search',
      'tasks.cancel_internal', 'tasks.create_internal', 'tickets.add_internal_note', 'tickets.discard_draft', 'tickets.draft_reply',
      'tickets.get_ticket', 'tickets.remove_internal_note', 'tickets.set_priority',
    ]);
    expect(new Set([...tools.values()].map((t) => t.risk))).toEqual(new Set(['read', 'reversible', 'irreversible']));
  });

  it.each([...builtinTools().values()].map((t) => [t.name, t] as const))('%s has a closed schema, a description and a consistent undo', (name, t) => {
    const input = t.input as { type: string; properties: Record<string, { description?: string }>; required: string[]; additionalProperties: boolean };
    expect(input.type).toBe('object');
    expect(input.additionalProperties).toBe(false);
    expect(input.required.filter((r) => !(r in input.properties))).toEqual([]);
    expect(Object.values(input.properties).every((p) => typeof p.description === 'string' && p.description.length > 0)).toBe(true);
    expect(t.description.length).toBeGreaterThan(20);
    expect(name.startsWith(`${t.system}.`)).toBe(true);
    if (t.risk === 'reversible') {
      expect(tools.get(t.undo!)?.risk).toBe('reversible');
      expect(typeof t.undoArgs).toBe('function');
    } else expect(t.undo).toBeUndefined();
  });
});

describe('resolveTools', () => {
  it('resolves the bundled plan to built-ins, with the plan’s description and risk', async () => {
    const tools = await resolveTools(bundled, planDir);
    expect([...tools.keys()]).toEqual(bundled.tools.map((t) => t.name));
    expect(tools.get('crm.update_plan')).toMatchObject({ description: "Change an account's subscription plan. Billing changes immediately. Needs approval.", risk: 'irreversible' });
    expect(tools.get('tickets.draft_reply')!.undo).toBe('tickets.discard_draft');
  });

  it('loads a user tool from a module relative to the plan (default or named `tool` export)', async () => {
    const tools = await resolveTools(withTools(spec({ name: 'custom.echo', module: './echo.mjs' }), spec({ name: 'custom.named', module: 'named.mjs', risk: 'read' })), planDir);
    expect(await tools.get('custom.echo')!.run({ text: 'hi' }, contextFor({}, 'c-1'))).toEqual({ echoed: 'hi', call: 'c-1' });
    // The plan is the authority: its name, description and risk replace what the module says.
    expect(tools.get('custom.named')).toMatchObject({ name: 'custom.named', description: 'From the plan.', risk: 'read' });
  });

  it('lets the plan replace a schema, and drops undo arguments built for a different undo tool', async () => {
    const narrowed = { type: 'object', properties: { query: { type: 'string', maxLength: 10 } }, required: ['query'], additionalProperties: false };
    const tools = await resolveTools(withTools(spec({ name: 'kb.search', input: narrowed }), spec({ name: 'tickets.set_priority', system: 'tickets', risk: 'reversible', undo: 'tickets.add_internal_note' })), planDir);
    expect(tools.get('kb.search')!.input).toEqual(narrowed);
    expect(tools.get('tickets.set_priority')).toMatchObject({ undo: 'tickets.add_internal_note' });
    expect(tools.get('tickets.set_priority')!.undoArgs).toBeUndefined();
  });

  it.each([
    [spec({ name: 'crm.teleport' }), 'tool "crm.teleport" is neither built in nor given a `module`', 'E_PLAN_UNKNOWN_TOOL', /add `module: \.\/tools\/crm-teleport\.js`/],
    [spec({ name: 'custom.bad', module: 'bad.mjs' }), 'tool "custom.bad": module bad.mjs does not export a usable tool', 'E_PLAN_TOOL_MODULE', /bad\.mjs: `system` must be a non-empty string/],
    [spec({ name: 'custom.empty', module: 'empty.mjs' }), 'tool "custom.empty": module empty.mjs does not export a usable tool', 'E_PLAN_TOOL_MODULE', /neither a default export nor an export named `tool`/],
    [spec({ name: 'custom.broken', module: 'broken.mjs' }), 'tool "custom.broken": cannot load module broken.mjs', 'E_PLAN_TOOL_MODULE', /broken\.mjs: /],
    [spec({ name: 'custom.missing', module: 'missing.mjs' }), 'tool "custom.missing": cannot load module missing.mjs', 'E_PLAN_TOOL_MODULE', /missing\.mjs/],
  ])('refuses %j with a PlanError naming it', async (toolSpec, message, code, detail) => {
    const err = await resolveTools(withTools(toolSpec), planDir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanError);
    expect(err).toMatchObject({ message, code });
    expect((err as PlanError).details.join('\n')).toMatch(detail);
  });

  it('names every shape problem of a bad module', async () => {
    const err = (await resolveTools(withTools(spec({ name: 'custom.bad', module: 'bad.mjs' })), planDir).catch((e: unknown) => e)) as PlanError;
    expect(err.details.map((d) => d.replace(`${path.join(planDir, 'bad.mjs')}: `, ''))).toEqual([
      '`system` must be a non-empty string',
      '`description` must be a non-empty string',
      '`input` must be a JSON Schema with `type: "object"`',
      '`risk` must be one of read | reversible | irreversible, got "high"',
      '`run(args, ctx)` must be a function',
      'export default { name, system, description, input: {type: "object", ...}, risk, run(args, ctx) } (or `export const tool = …`)',
    ]);
  });
});

describe('hashToolDefinitions', () => {
  it('is stable, and changes with risk, schema or the bytes of a module', async () => {
    write('hashed.mjs', `export default { name: 'custom.hashed', system: 'crm', description: 'Hashed', risk: 'read', input: { type: 'object' }, run: () => 0 };\n`);
    const plan = withTools(spec({ name: 'custom.hashed', module: 'hashed.mjs' }), spec({ name: 'kb.search' }));
    const h1 = await hashToolDefinitions(await resolveTools(plan, planDir));
    expect(await hashToolDefinitions(await resolveTools(plan, planDir))).toBe(h1);
    expect(await hashToolDefinitions(await resolveTools(withTools(spec({ name: 'kb.search' }), spec({ name: 'custom.hashed', module: 'hashed.mjs' })), planDir))).toBe(h1);
    expect(await hashToolDefinitions(await resolveTools(withTools(spec({ name: 'custom.hashed', module: 'hashed.mjs', risk: 'reversible' }), spec({ name: 'kb.search' })), planDir))).not.toBe(h1);
    expect(await hashToolDefinitions(await resolveTools(withTools(spec({ name: 'custom.hashed', module: 'hashed.mjs' }), spec({ name: 'kb.search', input: { type: 'object' } })), planDir))).not.toBe(h1);
    const tools = await resolveTools(plan, planDir);
    write('hashed.mjs', `// a comment changes the code\nexport default { name: 'custom.hashed', system: 'crm', description: 'Echo', risk: 'read', input: { type: 'object' }, run: () => 1 };\n`);
    expect(await hashToolDefinitions(tools)).not.toBe(h1);
  });
});
