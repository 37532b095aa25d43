// Resolves the plan's tools to implementations (built-in or the user's own module) and validates arguments
// against each tool's JSON Schema. The plan decides what is granted and its risk class; the code only runs it.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuntimePlan } from '../plan/schema.js';
import { PlanError } from '../errors.js';
import type { ToolImpl } from './types.js';
import { crmTools } from './builtin/crm.js';
import { ticketTools } from './builtin/tickets.js';
import { deskTools } from './builtin/desk.js';
import { billingTools } from './builtin/billing.js';
import { canonicalJson } from './fixture-store.js';

export function builtinTools(): Map<string, ToolImpl> {
  return new Map([...crmTools, ...ticketTools, ...deskTools, ...billingTools].map((t) => [t.name, t]));
}

function isToolImpl(v: unknown): v is ToolImpl {
  const t = v as ToolImpl | null;
  return !!t && typeof t.name === 'string' && typeof t.run === 'function' && typeof t.input === 'object' && typeof t.description === 'string';
}

export async function resolveTools(plan: RuntimePlan, planDir: string): Promise<Map<string, ToolImpl>> {
  const builtins = builtinTools();
  const out = new Map<string, ToolImpl>();
  const moduleFiles = new Map<string, string>();
  for (const spec of plan.tools) {
    let impl = builtins.get(spec.name);
    if (spec.module) {
      const file = path.resolve(planDir, spec.module);
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; tool?: unknown };
      const candidate = mod.default ?? mod.tool;
      if (!isToolImpl(candidate)) {
        throw new PlanError(`tool module ${spec.module} does not export a tool`, {
          code: 'E_PLAN_TOOL_MODULE',
          details: ['export default { name, system, description, input (JSON Schema), risk, run(args, ctx) }'],
        });
      }
      impl = candidate;
      moduleFiles.set(spec.name, file);
    }
    if (!impl) {
      throw new PlanError(`tool "${spec.name}" is neither built in nor given a \`module\``, {
        code: 'E_PLAN_UNKNOWN_TOOL',
        details: [`built-in tools: ${[...builtins.keys()].join(', ')}`],
      });
    }
    // The plan is the authority on description, schema, risk and undo; the implementation only runs.
    out.set(spec.name, { ...impl, name: spec.name, system: spec.system, description: spec.description, input: spec.input ?? impl.input, risk: spec.risk, ...(spec.undo ? { undo: spec.undo } : {}) });
  }
  toolModuleFiles.set(out, moduleFiles);
  return out;
}

const toolModuleFiles = new WeakMap<Map<string, ToolImpl>, Map<string, string>>();

/** Hash of everything about the tools that changes behaviour: names, schemas, risk, undo, and module bytes. */
export async function hashToolDefinitions(tools: Map<string, ToolImpl>): Promise<string> {
  const h = createHash('sha256');
  const files = toolModuleFiles.get(tools) ?? new Map<string, string>();
  for (const t of [...tools.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    h.update(canonicalJson({ name: t.name, system: t.system, description: t.description, input: t.input, risk: t.risk, undo: t.undo ?? null }));
    const file = files.get(t.name);
    if (file) h.update(await fs.readFile(file));
  }
  return h.digest('hex');
}

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; additionalProperties?: boolean; items?: Schema };

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The JSON Schema subset tools use. Returns readable errors like `amount: expected number, got "12"`. */
export function validateArgs(schema: Record<string, unknown>, value: unknown, at = ''): string[] {
  const s = schema as Schema;
  const here = at || '(arguments)';
  const got = JSON.stringify(value)?.slice(0, 40) ?? 'nothing';
  if (s.type) {
    const t = typeOf(value);
    const ok = s.type === 'integer' ? Number.isInteger(value) : s.type === 'number' ? t === 'number' && Number.isFinite(value) : t === s.type;
    if (!ok) return [`${here}: expected ${s.type}, got ${got}`];
  }
  const errors: string[] = [];
  if (s.enum && !s.enum.includes(value)) errors.push(`${here}: expected one of ${s.enum.map((e) => JSON.stringify(e)).join(' | ')}, got ${got}`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${here}: must be ≥ ${s.minimum}, got ${value}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${here}: must be ≤ ${s.maximum}, got ${value}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${here}: must be at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push(`${here}: must be at most ${s.maxLength} characters`);
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...validateArgs(s.items as Record<string, unknown>, v, `${at}[${i}]`)));
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of s.required ?? []) if (obj[r] === undefined) errors.push(`${at ? `${at}.` : ''}${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = s.properties?.[k];
      if (sub) errors.push(...validateArgs(sub as Record<string, unknown>, v, at ? `${at}.${k}` : k));
      else if (s.additionalProperties === false) errors.push(`${at ? `${at}.` : ''}${k}: unknown argument (allowed: ${Object.keys(s.properties ?? {}).join(', ')})`);
    }
  }
  return errors;
}
