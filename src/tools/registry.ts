// Resolves the plan's tools to implementations (built-in or the user's own module). The plan decides what is
// granted, its description, schema and risk class; the implementation only runs.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RISK_CLASSES, type RuntimePlan } from '../plan/schema.js';
import { PlanError } from '../errors.js';
import type { ToolImpl } from './types.js';
import { crmTools } from './builtin/crm.js';
import { ticketTools } from './builtin/tickets.js';
import { taskTools } from './builtin/tasks.js';
import { kbTools } from './builtin/kb.js';
import { billingTools } from './builtin/billing.js';
import { emailTools } from './builtin/email.js';
import { engTools } from './builtin/eng.js';
import { handoffTools } from './builtin/handoff.js';
import { canonicalJson } from './fixture-store.js';

// The gateway imports the validator from here; it lives in its own file to keep both small.
export { validateArgs } from './validate-args.js';

export function builtinTools(): Map<string, ToolImpl> {
  const all = [...crmTools, ...ticketTools, ...taskTools, ...kbTools, ...billingTools, ...emailTools, ...engTools, ...handoffTools];
  return new Map(all.map((t) => [t.name, t]));
}

/** What is wrong with a module's export, as lines for the error (empty = a usable ToolImpl). */
export function toolShapeProblems(v: unknown): string[] {
  if (!v || typeof v !== 'object') return [`expected an object, got ${v === null ? 'null' : typeof v}`];
  const t = v as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['name', 'system', 'description'] as const) if (typeof t[key] !== 'string' || !t[key]) problems.push(`\`${key}\` must be a non-empty string`);
  const input = t.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object' || input.type !== 'object') problems.push('`input` must be a JSON Schema with `type: "object"`');
  if (!(RISK_CLASSES as readonly unknown[]).includes(t.risk)) problems.push(`\`risk\` must be one of ${RISK_CLASSES.join(' | ')}, got ${JSON.stringify(t.risk) ?? 'nothing'}`);
  if (typeof t.run !== 'function') problems.push('`run(args, ctx)` must be a function');
  if (t.undo !== undefined && typeof t.undo !== 'string') problems.push('`undo` must be a tool name');
  if (t.undoArgs !== undefined && typeof t.undoArgs !== 'function') problems.push('`undoArgs(args, result, diff)` must be a function');
  return problems;
}

const SHAPE_HINT = 'export default { name, system, description, input: {type: "object", ...}, risk, run(args, ctx) } (or `export const tool = …`)';

async function importTool(name: string, file: string, declared: string): Promise<ToolImpl> {
  let mod: { default?: unknown; tool?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (err) {
    throw new PlanError(`tool "${name}": cannot load module ${declared}`, {
      code: 'E_PLAN_TOOL_MODULE',
      details: [`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`],
      cause: err,
    });
  }
  const candidate = mod.default ?? mod.tool;
  const problems = candidate === undefined ? ['the module has neither a default export nor an export named `tool`'] : toolShapeProblems(candidate);
  if (problems.length) {
    throw new PlanError(`tool "${name}": module ${declared} does not export a usable tool`, { code: 'E_PLAN_TOOL_MODULE', details: [...problems.map((p) => `${file}: ${p}`), SHAPE_HINT] });
  }
  return candidate as ToolImpl;
}

/** The module file behind each resolved tool, so the hash covers the code a user's tool runs. */
const moduleFileOf = new WeakMap<ToolImpl, string>();

export async function resolveTools(plan: RuntimePlan, planDir: string): Promise<Map<string, ToolImpl>> {
  const builtins = builtinTools();
  const out = new Map<string, ToolImpl>();
  for (const spec of plan.tools) {
    const file = spec.module ? path.resolve(planDir, spec.module) : undefined;
    const impl = file ? await importTool(spec.name, file, spec.module!) : builtins.get(spec.name);
    if (!impl) {
      throw new PlanError(`tool "${spec.name}" is neither built in nor given a \`module\``, {
        code: 'E_PLAN_UNKNOWN_TOOL',
        details: [`add \`module: ./tools/${spec.name.replace('.', '-')}.js\` to it, or use a built-in: ${[...builtins.keys()].join(', ')}`],
      });
    }
    const undo = spec.undo ?? impl.undo;
    // undoArgs build arguments for one particular undo tool; if the plan names another, they would be wrong.
    const undoArgs = impl.undo === undefined || impl.undo === undo ? impl.undoArgs : undefined;
    const resolved: ToolImpl = {
      ...impl,
      name: spec.name,
      system: spec.system,
      description: spec.description,
      input: spec.input ?? impl.input,
      risk: spec.risk,
      undo,
      undoArgs,
    };
    if (resolved.undo === undefined) delete resolved.undo;
    if (resolved.undoArgs === undefined) delete resolved.undoArgs;
    if (file) moduleFileOf.set(resolved, file);
    out.set(spec.name, resolved);
  }
  return out;
}

/** Hash of everything about the tools that changes behaviour: names, descriptions, schemas, risk, undo, module bytes. */
export async function hashToolDefinitions(tools: Map<string, ToolImpl>): Promise<string> {
  const h = createHash('sha256');
  for (const t of [...tools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(canonicalJson({ name: t.name, system: t.system, description: t.description, input: t.input, risk: t.risk, undo: t.undo ?? null }));
    h.update('\n');
    const file = moduleFileOf.get(t);
    if (file) h.update(createHash('sha256').update(await fs.readFile(file)).digest('hex'));
    h.update('\n');
  }
  return h.digest('hex');
}
