// Cross-field rules: what one zod schema per field cannot see. Each rule returns located diagnostics; all run, so
// every problem in a plan is reported at once.
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONDITION_PATTERN, GATE_METRICS, GATE_PATTERN, type PlanDiagnostic, type RuntimePlan } from './schema.js';
import { dotted, locate, type ParsedYaml } from './yaml-file.js';

export function planRules(plan: RuntimePlan, file: string, dir: string, parsed: ParsedYaml): PlanDiagnostic[] {
  const out: PlanDiagnostic[] = [];
  const at = (p: Array<string | number>, code: string, message: string, hint?: string, severity: 'error' | 'warning' = 'error') =>
    out.push({ file, ...locate(parsed, p), path: dotted(p), code, message, severity, ...(hint ? { hint } : {}) });

  const toolNames = plan.tools.map((t) => t.name);
  const tools = new Map(plan.tools.map((t) => [t.name, t]));
  const systems = new Set(plan.systems.map((s) => s.name));
  const knownTool = (name: string, p: Array<string | number>) => {
    if (!tools.has(name)) at(p, 'E_PLAN_UNKNOWN_TOOL_REF', `names tool "${name}", which is not declared under tools`, `declared tools: ${toolNames.join(', ')}`);
    return tools.has(name);
  };
  const roots = allowedRoots(dir);
  const fileExists = (rel: string, p: Array<string | number>, what: string, kind: 'file' | 'dir' = 'file') => {
    const abs = path.resolve(dir, rel);
    const ok = existsSync(abs) && (kind === 'dir' ? statSync(abs).isDirectory() : statSync(abs).isFile());
    if (!ok) return void at(p, 'E_PLAN_FILE_MISSING', `${what} ${kind === 'dir' ? 'directory' : 'file'} not found: ${rel} (resolved to ${abs})`, 'paths are relative to the plan file');
    // Symlinks are followed: a link inside the project that points outside it is as much an escape as `../..`.
    const real = realpathSync(abs);
    if (!roots.some((r) => real === r || real.startsWith(r + path.sep))) {
      at(p, 'E_PLAN_PATH_ESCAPE', `${what} path leaves the project: ${rel} resolves to ${real}`, `keep referenced files inside ${roots[0]}`);
    }
  };

  if (plan.environment !== 'sandbox') {
    at(['environment'], 'E_PLAN_ENVIRONMENT', `agentrt only runs agents in a sandbox; got "${plan.environment}"`, 'set `environment: sandbox`; promote to staging/production with your own deploy tooling');
  }
  const seenSystems = new Set<string>();
  plan.systems.forEach((s, i) => {
    if (seenSystems.has(s.name)) at(['systems', i, 'name'], 'E_PLAN_DUP_SYSTEM', `system "${s.name}" is declared twice`);
    seenSystems.add(s.name);
    fileExists(s.fixtures, ['systems', i, 'fixtures'], 'fixture');
  });
  const seen = new Set<string>();
  plan.tools.forEach((t, i) => {
    if (seen.has(t.name)) at(['tools', i, 'name'], 'E_PLAN_DUP_TOOL', `tool "${t.name}" is declared twice`, 'tool names must be unique');
    seen.add(t.name);
    if (!systems.has(t.system)) at(['tools', i, 'system'], 'E_PLAN_UNKNOWN_SYSTEM', `system "${t.system}" is not declared under systems`, `declared: ${[...systems].join(', ')}`);
    if (t.undo && knownTool(t.undo, ['tools', i, 'undo'])) {
      if (tools.get(t.undo)!.risk === 'irreversible') at(['tools', i, 'undo'], 'E_PLAN_UNDO_TARGET', `undo tool "${t.undo}" is irreversible; an undo must be reversible or read`);
    }
    if (t.undo && t.risk !== 'reversible') at(['tools', i, 'undo'], 'E_PLAN_UNDO_RISK', `only reversible tools have an undo; "${t.name}" is ${t.risk}`);
    if (t.risk === 'reversible' && !t.undo) at(['tools', i], 'W_PLAN_NO_UNDO', `reversible tool "${t.name}" has no undo tool`, 'name one with `undo:` so rollback can reverse it', 'warning');
    if (t.retry && t.retry.max_attempts > 1 && t.risk !== 'read' && !t.idempotent) {
      at(['tools', i, 'retry'], 'E_PLAN_RETRY_UNSAFE', `"${t.name}" is ${t.risk} and not idempotent: retrying it could act twice`, 'retry only read tools, or mark the tool `idempotent: true`');
    }
    if (t.module) fileExists(t.module, ['tools', i, 'module'], 'tool module');
  });
  plan.approvals.forEach((a, i) => {
    knownTool(a.tool, ['approvals', i, 'tool']);
    a.when.forEach((c, j) => {
      if (!conditionLiteralOk(c)) at(['approvals', i, 'when', j], 'E_PLAN_CONDITION', `the value in "${c}" is not a JSON literal`, CONDITION_HINT);
    });
  });
  for (const t of plan.tools) {
    if (t.risk === 'irreversible' && !plan.approvals.some((a) => a.tool === t.name)) {
      at(['tools', plan.tools.indexOf(t)], 'W_PLAN_NO_APPROVAL', `irreversible tool "${t.name}" has no approval rule: the agent can use it without a human`, 'add an `approvals` rule for it', 'warning');
    }
  }
  plan.stop_rules.forEach((r, i) => {
    if (r.tool) knownTool(r.tool, ['stop_rules', i, 'tool']);
    if ((r.trigger === 'ticket_matches' || r.trigger === 'record_matches') && !r.match?.length) {
      at(['stop_rules', i], 'E_PLAN_STOP_MATCH', `stop rule "${r.name}" (${r.trigger}) needs a non-empty \`match\` list`);
    }
  });
  plan.faults.forEach((f, i) => {
    if (f.target !== 'model') knownTool(f.target, ['faults', i, 'target']);
  });
  plan.gates.forEach((g, i) => {
    const m = GATE_PATTERN.exec(g);
    if (m && !(GATE_METRICS as readonly string[]).includes(m[1]!) && !/^pass\^\d+$/.test(m[1]!)) {
      at(['gates', i], 'E_PLAN_UNKNOWN_METRIC', `unknown gate metric "${m[1]}"`, `known: ${GATE_METRICS.join(', ')}, pass^k`);
    }
  });
  plan.logging.redact.forEach((r, i) => {
    try {
      new RegExp(r);
    } catch (e) {
      at(['logging', 'redact', i], 'E_PLAN_REGEX', `not a valid regular expression: ${(e as Error).message}`);
    }
  });
  const m = plan.model;
  if (m.provider === 'openai-compatible' && !m.base_url) at(['model'], 'E_PLAN_BASE_URL', 'provider openai-compatible needs `base_url`', 'e.g. base_url: http://localhost:11434/v1');
  if (['openai', 'anthropic', 'openai-compatible'].includes(m.provider) && !m.api_key_env) {
    at(['model'], 'E_PLAN_API_KEY_ENV', `provider ${m.provider} needs \`api_key_env\`: the name of the env var holding the key`, 'e.g. api_key_env: OPENAI_API_KEY');
  }
  if (m.provider === 'replay' && !m.cassette) at(['model'], 'E_PLAN_CASSETTE', 'provider replay needs `cassette`: a run directory to serve');
  if (m.provider === 'replay' && m.cassette) fileExists(m.cassette, ['model', 'cassette'], 'cassette', 'dir');
  if ('reference' in plan.agent) fileExists(plan.agent.reference.prompt, ['agent', 'reference', 'prompt'], 'prompt');
  else {
    if (plan.agent.build) fileExists(plan.agent.build, ['agent', 'build'], 'build context', 'dir');
    if (plan.agent.image && plan.agent.build) at(['agent'], 'E_PLAN_AGENT_IMAGE', 'give either `image` or `build`, not both');
  }
  if (plan.evals) fileExists(plan.evals.path, ['evals', 'path'], 'eval set', 'dir');
  return out;
}

export const CONDITION_HINT = 'quote strings: reason == "fraud"; lists: plan in ["pro", "team"]';

/** A condition that matched CONDITION_PATTERN still needs a JSON literal on its right-hand side. */
export function conditionLiteralOk(c: string): boolean {
  const m = CONDITION_PATTERN.exec(c);
  if (!m) return true; // the schema already reported the shape
  try {
    JSON.parse(m[3]!);
    return true;
  } catch {
    return false;
  }
}

/** Where a plan may reference files: its project (nearest ancestor with package.json or .git) and the working directory. */
export function allowedRoots(planDir: string): string[] {
  let d = realpathSync(planDir);
  let project = d;
  for (;;) {
    if (existsSync(path.join(d, 'package.json')) || existsSync(path.join(d, '.git'))) {
      project = d;
      break;
    }
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return [project, realpathSync(process.cwd())];
}
