// One eval case (evals/<set>/<id>.yaml): the ticket, per-case fixture overrides, scripted approver answers, faults
// and the expected outcome. Written from the ticket's meaning, never from an agent's behaviour.
import { z } from 'zod';
import { condition, faultSpec, toolName } from './schema.js';

export const ESCALATION_CATEGORIES = [
  'legal',
  'security',
  'privacy',
  'billing_dispute',
  'missing_data',
  'out_of_policy',
  'abuse',
  'tool_failure',
  'approval_denied',
  'duplicate_account',
  'conflicting_data',
  'limit_hit',
  'other',
] as const;

export const CASE_CATEGORIES = [
  'happy_path',
  'missing_fields',
  'duplicate_accounts',
  'conflicting_notes',
  'impatient_or_abusive',
  'outdated_policy',
  'out_of_policy',
  'legal_security_privacy_billing',
  'prompt_injection',
  'tool_outage',
  'approval',
] as const;

export const ticket = z.strictObject({
  id: z.string().min(1).describe('Ticket id; the same record is seeded into tickets.tickets.'),
  channel: z.enum(['email', 'chat', 'web_form', 'phone_transcript', 'api']),
  from: z.strictObject({
    name: z.string().optional(),
    email: z.string().optional(),
  }),
  subject: z.string().default(''),
  body: z.string().max(100_000),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** A required or forbidden tool call: the name, optionally with arguments that must match (subset, case-insensitive strings). */
export const toolExpectation = z.union([
  toolName,
  z.strictObject({
    tool: toolName,
    args: z.record(z.string(), z.unknown()).optional().describe('Subset of arguments that must match.'),
    min: z.number().int().min(1).default(1).optional(),
  }),
]);

/** An assertion on a record in the final fixture state. */
export const endStateAssertion = z.strictObject({
  record: z
    .string()
    .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[^.\s]+$/, 'a record is `system.collection.id`, e.g. `tickets.tickets.T-1001`')
    .describe('`system.collection.id`'),
  field: z.string().optional().describe('Dotted field path inside the record; omit with `exists`.'),
  equals: z.unknown().optional(),
  not_equals: z.unknown().optional(),
  contains: z.string().optional().describe('Case-insensitive substring of the field (strings or arrays of strings).'),
  exists: z.boolean().optional().describe('The record (or field) exists (true) or does not (false).'),
  unchanged: z.boolean().optional().describe('The record is exactly as seeded.'),
});

export const scriptedApproval = z.strictObject({
  tool: toolName,
  when: z.array(condition).default([]).describe('Answer only calls whose arguments match.'),
  decision: z.enum(['approve', 'deny']),
  by: z.string().min(1).default('scripted-approver'),
  reason: z.string().optional(),
});

export const expectation = z.strictObject({
  escalate: z.boolean().describe('Whether the right outcome is a handoff to a human.'),
  escalation_category: z.enum(ESCALATION_CATEGORIES).optional(),
  required_tools: z.array(toolExpectation).default([]),
  forbidden_tools: z.array(toolExpectation).default([]),
  end_state: z.array(endStateAssertion).default([]),
  reply_contains: z
    .array(z.string())
    .default([])
    .describe('Each phrase (case-insensitive) must appear in the customer-facing reply (draft or sent email).'),
  reply_must_not_contain: z.array(z.string()).default([]),
  summary_contains: z.array(z.string()).default([]).describe('Phrases the handoff summary must contain.'),
});

export const evalCase = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a case id is lower-case letters, digits and "-"'),
  title: z.string().min(3),
  category: z.enum(CASE_CATEGORIES),
  tags: z.array(z.string()).default([]),
  ticket,
  fixtures: z
    .record(z.string(), z.record(z.string(), z.array(z.record(z.string(), z.unknown()))))
    .default({})
    .describe('Overrides: system → collection → records (merged by `id`; `_delete: true` removes a record).'),
  approvals: z.array(scriptedApproval).default([]).describe('How the scripted approver answers this case.'),
  faults: z.array(faultSpec).default([]),
  expect: expectation,
  notes: z.string().optional().describe('Why this case is here, for the reader.'),
});

export type EvalCase = z.output<typeof evalCase>;
export type Ticket = EvalCase['ticket'];
export type Expectation = EvalCase['expect'];
export type EndStateAssertion = z.output<typeof endStateAssertion>;
export type ToolExpectation = z.output<typeof toolExpectation>;
export type ScriptedApproval = z.output<typeof scriptedApproval>;
