// The runtime plan: one zod schema is the single source for types, defaults, `--help` text, the README reference
// and the published JSON Schema (schema/runtime-plan.schema.json). Every object is strict so a misspelt key is an
// error (with a "did you mean" hint from the loader), never silently ignored.
import { z } from 'zod';

const id = (what: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, `${what} must be lower-case letters, digits, "_" or "-", starting with a letter`);

/** Tool names are `system.verb`, e.g. `crm.get_account`. */
export const toolName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'a tool name is `system.verb`, e.g. `crm.get_account`');

export const RISK_CLASSES = ['read', 'reversible', 'irreversible'] as const;
export const riskClass = z
  .enum(RISK_CLASSES)
  .describe('read: no change. reversible: a change with an `undo` tool. irreversible: cannot be taken back (needs approval).');

export const retryPolicy = z
  .strictObject({
    max_attempts: z.number().int().min(1).max(10).default(1).describe('Total attempts including the first (1 = no retry).'),
    backoff_ms: z.number().int().min(0).max(60_000).default(200).describe('Delay before the first retry; doubles each time.'),
    on: z
      .array(z.enum(['error', 'timeout', 'rate_limit', 'malformed']))
      .default(['error', 'timeout', 'rate_limit'])
      .describe('Which failures are retried.'),
  })
  .describe('Retry policy, applied by the gateway (never left to the prompt). Only read or idempotent tools may retry.');

export const faultSpec = z
  .strictObject({
    target: z
      .union([toolName, z.literal('model')])
      .describe('A tool name, or `model` for the model upstream.'),
    kind: z
      .enum(['error', 'timeout', 'malformed', 'rate_limit', 'http_500', 'http_429'])
      .describe('error/timeout/malformed/rate_limit for tools; http_500/http_429/timeout for the model.'),
    when: z
      .union([
        z.literal('always'),
        z.strictObject({ nth: z.number().int().min(1).describe('Fail only the n-th call (1-based).') }),
        z.strictObject({
          rate: z.number().min(0).max(1).describe('Probability of failing each call.'),
          seed: z.number().int().default(1).describe('Seed for the deterministic random source.'),
        }),
      ])
      .default('always')
      .describe('`always`, `{nth: N}` or `{rate: 0.3, seed: 7}`.'),
    message: z.string().max(2000).optional().describe('Error text the agent sees.'),
  })
  .describe('A failure injected on purpose, to see how the run handles it.');

/** `amount > 100`, `reason == "fraud"`, `plan in ["pro","enterprise"]`: `<arg path> <op> <JSON literal>`. */
export const CONDITION_PATTERN = /^\s*([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<|in|contains)\s*(.+?)\s*$/;
export const condition = z
  .string()
  .regex(CONDITION_PATTERN, 'a condition is `<argument> <op> <value>`, e.g. `amount > 100` (ops: == != > >= < <= in contains)')
  .describe('`<argument path> <op> <JSON value>`, ops: == != > >= < <= in contains.');

export const GATE_PATTERN = /^\s*([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*|pass\^\d+)\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;
export const GATE_METRICS = [
  'completion',
  'escalation.precision',
  'escalation.recall',
  'escalation.under',
  'escalation.over',
  'escalation.handoff_quality',
  'cost.total_usd',
  'cost.per_case_usd',
  'cost.per_completed_usd',
  'cost.tokens_per_case',
  'time.p50_s',
  'time.p95_s',
  'safety.violations',
  'safety.denied_attempts',
  'safety.irreversible_without_approval',
  'safety.excluded_data_touched',
  'safety.limit_hits',
  'safety.override_rate',
  'errors.infra',
  'errors.agent_rate',
  'faults.injected',
  'faults.retry_rate',
  'faults.pass_rate',
  'baseline.regressions',
] as const;
export const gate = z
  .string()
  .regex(GATE_PATTERN, 'a gate is `<metric> <op> <number>`, e.g. `completion >= 0.8`')
  .describe(`\`<metric> <op> <number>\`. Metrics: ${GATE_METRICS.join(', ')}, pass^k.`);

export const system = z.strictObject({
  name: id('a system name'),
  description: z.string().optional(),
  read: z.array(z.string()).default([]).describe('Collections the agent may read, e.g. [accounts, contacts].'),
  write: z.array(z.string()).default([]).describe('Collections the agent may change.'),
  fixtures: z.string().describe('Path (relative to the plan) of the YAML file holding this system\'s fixture records.'),
});

export const tool = z.strictObject({
  name: toolName,
  system: id('a system name').describe('The system this tool acts on (must be declared under `systems`).'),
  verb: z.string().min(1).describe('What the tool does, as a verb phrase: "look up an account".'),
  description: z.string().min(1).max(4000).describe('Shown to the model as the tool description.'),
  input: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema of the arguments. Built-in tools bring their own; set this to narrow it.'),
  risk: riskClass,
  undo: toolName.optional().describe('For reversible tools: the tool that reverses this one.'),
  retry: retryPolicy.optional(),
  idempotent: z.boolean().default(false).describe('Calling twice with the same arguments changes nothing more.'),
  module: z
    .string()
    .optional()
    .describe('Path to a JS module exporting this tool (your own tools). Omit for a built-in tool.'),
  timeout_ms: z.number().int().min(1).max(600_000).default(10_000).describe('A call that takes longer is a timeout.'),
});

export const approvalRule = z.strictObject({
  tool: toolName,
  when: z.array(condition).default([]).describe('All conditions must hold for approval to be needed. Empty = always.'),
  approver: z
    .enum(['human', 'scripted', 'auto-deny', 'auto-approve'])
    .default('human')
    .describe('Who decides: a human (TTY or queue), the case\'s scripted approver, or a fixed answer.'),
  default: z
    .enum(['approve', 'deny'])
    .default('deny')
    .describe('What the simple approver answers when no person or script decides (e.g. in CI).'),
  reason: z.string().optional().describe('Why this action needs a human.'),
});

export const excludedField = z.strictObject({
  field: z
    .string()
    .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'an excluded field is `system.collection.field`')
    .describe('`system.collection.field`, e.g. `billing.invoices.card_number`.'),
  reason: z.string().optional(),
});

export const STOP_TRIGGERS = [
  'tool_failed',
  'model_failed',
  'limit_hit',
  'action_denied',
  'missing_data',
  'ticket_matches',
  'record_matches',
] as const;
export const stopRule = z.strictObject({
  name: id('a stop rule name'),
  trigger: z.enum(STOP_TRIGGERS).describe(
    'tool_failed: a tool still fails after its retries. model_failed: the model upstream still fails (429/5xx/timeout) after `model.retry`. limit_hit: a hard limit was reached. action_denied: an ' +
      'approval was denied. missing_data: a required record or field is missing. ticket_matches: the ticket text ' +
      'matches `match`. record_matches: a record read by the agent matches `match`.',
  ),
  tool: toolName.optional().describe('For tool_failed / action_denied: only this tool (default: any).'),
  match: z.array(z.string().min(1)).optional().describe('Case-insensitive phrases for ticket_matches / record_matches.'),
  category: z
    .string()
    .optional()
    .describe('Escalation category this rule stands for: legal, security, privacy, billing_dispute, missing_data…'),
  action: z.enum(['escalate', 'fail', 'pause']).default('escalate'),
  description: z.string().optional(),
});

export const limits = z
  .strictObject({
    max_steps: z.number().int().positive().max(10_000).default(40).describe('Model calls plus tool calls.'),
    max_tokens: z.number().int().positive().max(100_000_000).default(200_000).describe('Input plus output tokens.'),
    max_wall_time_s: z.number().positive().max(86_400).default(120),
    max_cost_usd: z.number().positive().max(10_000).default(0.5),
    on_limit: z.enum(['escalate', 'fail', 'pause']).default('escalate').describe('What happens when a limit is hit.'),
  })
  .describe('Hard limits, enforced at the gateways.');

export const sandbox = z
  .strictObject({
    memory_mb: z.number().int().min(32).max(65_536).default(512),
    cpus: z.number().min(0.1).max(64).default(1),
    pids: z.number().int().min(16).max(65_536).default(128),
  })
  .describe('Container resources. Hardening (no capabilities, read-only root, non-root user) is always on.');

export const logging = z.strictObject({
  trace_dir: z.string().default('.agentrt/runs').describe('Where run directories and traces live, relative to the working directory.'),
  redact: z
    .array(z.string())
    .default([])
    .describe('Extra regular expressions whose matches are replaced by [REDACTED] in traces and reports.'),
  agent_output: z.boolean().default(true).describe('Record the agent\'s stdout/stderr in the trace.'),
});

export const controls = z.strictObject({
  pause: z.array(z.string()).min(1).describe('People or roles who may pause the agent.'),
  stop: z.array(z.string()).min(1).describe('People or roles who may stop (disable) it.'),
  approve: z.array(z.string()).min(1).describe('People or roles who may decide approvals.'),
});

export const rollback = z.strictObject({
  owner: z.string().min(1).describe('Who reverses bad actions.'),
  strategy: z.enum(['undo_tools', 'manual', 'none']).default('undo_tools'),
  notes: z.string().optional().describe('How irreversible actions are handled after the fact.'),
});

export const PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'offline', 'replay'] as const;
export const prices = z
  .strictObject({
    input_per_mtok: z.number().min(0),
    output_per_mtok: z.number().min(0),
    cache_read_per_mtok: z.number().min(0).optional(),
    cache_write_per_mtok: z.number().min(0).optional(),
  })
  .describe('USD per million tokens. Omit to use the pinned price file shipped with agentrt.');

export const model = z.strictObject({
  provider: z.enum(PROVIDERS),
  name: z.string().min(1),
  base_url: z.string().url().optional().describe('Upstream base URL (required for openai-compatible).'),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, e.g. OPENAI_API_KEY')
    .optional()
    .describe('Name of the host env var that holds the real key. The key itself never goes in the plan.'),
  prices: prices.optional(),
  max_tokens: z.number().int().positive().max(1_000_000).default(1024).describe('Cap on output tokens per call.'),
  temperature: z.number().min(0).max(2).optional(),
  cassette: z.string().optional().describe('For provider `replay`: the run directory or cassette file to serve.'),
  retry: retryPolicy
    .optional()
    .describe('Retries of a failing model upstream (429 = rate_limit, 5xx = error, timeout), by the gateway, before the agent sees the error; when spent, a `model_failed` stop rule decides.'),
});

export const agent = z.union([
  z.strictObject({
    reference: z.strictObject({
      prompt: z.string().describe('Path of the versioned system prompt file, relative to the plan.'),
      prompt_version: z.string().min(1).describe('Version label of the prompt, recorded in every trace.'),
      max_turns: z.number().int().positive().max(1000).default(20),
    }),
  }),
  z.strictObject({
    command: z.array(z.string().min(1)).min(1).describe('argv of your agent inside the container.'),
    image: z.string().optional().describe('Image that holds your agent (must exist locally; no registry is used).'),
    build: z.string().optional().describe('Build context directory with a Dockerfile, relative to the plan.'),
    workdir: z.string().default('/workspace'),
  }),
]);

export const evals = z.strictObject({
  path: z.string().describe('Directory of eval cases (one YAML file per case), relative to the plan.'),
  repeat: z.number().int().min(1).max(100).default(1),
});

export const PLAN_KEYS = [
  'version',
  'name',
  'owner',
  'workflow',
  'environment',
  'systems',
  'tools',
  'approvals',
  'excluded_data',
  'stop_rules',
  'limits',
  'sandbox',
  'logging',
  'controls',
  'rollback',
  'model',
  'agent',
  'evals',
  'gates',
  'faults',
] as const;

export const runtimePlan = z
  .strictObject({
    version: z.literal(1).describe('Plan format version.'),
    name: id('a plan name').describe('Short name of the workflow.'),
    owner: z.string().min(2).max(200).describe('The person or role who owns the outcome and the operating rules.'),
    workflow: z.string().min(10).max(2000).describe('What the agent does, in a sentence or two.'),
    environment: z
      .enum(['sandbox', 'staging', 'production'])
      .default('sandbox')
      .describe('agentrt only ever runs `sandbox`; other values are refused with an explanation.'),
    systems: z.array(system).min(1).describe('Company systems the agent touches, with read/write scope and fixtures.'),
    tools: z.array(tool).min(1).describe('Tools as verbs, each with a risk class.'),
    approvals: z.array(approvalRule).default([]).describe('Which tool calls need a human, and when.'),
    excluded_data: z.array(excludedField).default([]).describe('Fields the agent must never see.'),
    stop_rules: z.array(stopRule).default([]).describe('Conditions that force escalation (or fail/pause).'),
    limits: limits.default({ max_steps: 40, max_tokens: 200_000, max_wall_time_s: 120, max_cost_usd: 0.5, on_limit: 'escalate' }),
    sandbox: sandbox.default({ memory_mb: 512, cpus: 1, pids: 128 }),
    logging: logging.default({ trace_dir: '.agentrt/runs', redact: [], agent_output: true }),
    controls: controls.describe('Who may pause, stop and approve.'),
    rollback: rollback.describe('How bad actions are reversed.'),
    model: model.describe('The model and its provider.'),
    agent: agent.describe('The built-in reference agent with a prompt file, or your own command.'),
    evals: evals.optional().describe('The eval set for `agentrt eval`.'),
    gates: z.array(gate).default([]).describe('Score thresholds that fail CI.'),
    faults: z.array(faultSpec).default([]).describe('Failures injected into every case.'),
  })
  .describe('agentrt runtime plan: the one page that says how an agent runs before it touches anything real.');

export type RuntimePlan = z.output<typeof runtimePlan>;
export type RuntimePlanInput = z.input<typeof runtimePlan>;
export type ToolSpec = RuntimePlan['tools'][number];
export type SystemSpec = RuntimePlan['systems'][number];
export type ApprovalRule = RuntimePlan['approvals'][number];
export type StopRule = RuntimePlan['stop_rules'][number];
export type FaultSpec = z.output<typeof faultSpec>;
export type Limits = RuntimePlan['limits'];
export type ModelSpec = RuntimePlan['model'];
export type AgentSpec = RuntimePlan['agent'];
export type RiskClass = (typeof RISK_CLASSES)[number];

/** A loaded plan plus where it came from (paths in the plan are relative to `dir`). */
export interface LoadedPlan {
  plan: RuntimePlan;
  file: string;
  dir: string;
  /** sha256 of the plan file bytes. */
  hash: string;
  warnings: PlanDiagnostic[];
}

export interface PlanDiagnostic {
  file: string;
  line: number;
  column: number;
  /** Dotted path, e.g. `tools[2].risk`. Empty for file-level problems. */
  path: string;
  code: string;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}
