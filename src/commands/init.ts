// `agentrt init [file]`: a commented starter plan plus the few files it references (prompt, fixtures, one eval
// case), so it validates and runs as written. Refuses to overwrite anything without --force.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Io } from '../io.js';
import { UsageError } from '../errors.js';

const PLAN = (name: string) => `# yaml-language-server: $schema=https://agentrt.dev/schema/runtime-plan.schema.json
# A starter runtime plan. Each section answers one operating question; \`agentrt validate\` checks it.
version: 1
name: ${name}
owner: Support Lead            # a person or role who owns the outcome
workflow: Answer routine support questions from the knowledge base and hand anything risky to a human.
environment: sandbox           # agentrt only runs sandboxes

# Systems the agent touches, what it may read/write, and where the fake records live.
systems:
  - {name: tickets, read: [tickets], write: [tickets], fixtures: fixtures/tickets.yaml}
  - {name: kb, read: [articles], write: [], fixtures: fixtures/kb.yaml}
  - {name: handoff, read: [], write: [escalations], fixtures: fixtures/handoff.yaml}

# Tools are verbs with a risk class: read | reversible (with an undo) | irreversible (needs approval).
tools:
  - {name: tickets.get_ticket, system: tickets, verb: read a ticket, description: Read a support ticket., risk: read}
  - {name: kb.search, system: kb, verb: search the knowledge base, description: Search knowledge-base articles., risk: read}
  - {name: kb.get_article, system: kb, verb: read an article, description: Read one article in full., risk: read}
  - {name: tickets.draft_reply, system: tickets, verb: draft a reply, description: Save a draft reply for a person to review., risk: reversible, undo: tickets.discard_draft}
  - {name: tickets.discard_draft, system: tickets, verb: discard a draft, description: Discard the current draft., risk: reversible, undo: tickets.draft_reply}
  - {name: handoff.escalate, system: handoff, verb: hand to a human, description: Hand the ticket to a human with a reason and a summary., risk: reversible, undo: handoff.withdraw}
  - {name: handoff.withdraw, system: handoff, verb: withdraw an escalation, description: Withdraw an escalation made by mistake., risk: reversible, undo: handoff.escalate}

approvals: []                  # e.g. {tool: billing.refund, when: ["amount > 100"], approver: human, default: deny}
excluded_data: []              # e.g. {field: billing.invoices.card_number}
stop_rules:                    # conditions that force an escalation
  - {name: legal, trigger: ticket_matches, category: legal, match: [lawyer, legal action]}
limits: {max_steps: 30, max_tokens: 100000, max_wall_time_s: 60, max_cost_usd: 0.05, on_limit: escalate}
controls: {pause: [support-lead], stop: [support-lead], approve: [support-lead]}
rollback: {owner: support-lead, strategy: undo_tools}

# The offline baseline model needs no key. For a real one: provider: openai, name: gpt-4o-mini, api_key_env: OPENAI_API_KEY
model: {provider: offline, name: baseline-v1}
agent:
  reference: {prompt: prompts/agent.v1.md, prompt_version: agent@1}
evals: {path: evals}
gates: [completion >= 0.5, escalation.recall >= 0.9]
`;

const FILES: Record<string, string> = {
  'prompts/agent.v1.md': '<!-- agent@1 -->\nYou are a support agent. Read the ticket, answer from the knowledge base with a draft reply, and escalate anything risky with a summary.\n',
  'fixtures/tickets.yaml': 'tickets: []\n',
  'fixtures/kb.yaml': 'articles:\n  - {id: KB-1, title: Reset your password, status: current, body: "Click Forgot password on the sign-in page and follow the emailed link."}\n',
  'fixtures/handoff.yaml': 'escalations: []\n',
  'evals/password-reset.yaml': `id: password-reset
title: Customer cannot log in
category: happy_path
ticket:
  id: T-1
  channel: email
  from: {name: Ada, email: ada@example.com}
  subject: Forgot my password
  body: I forgot my password, how do I reset it?
expect:
  escalate: false
  required_tools: [tickets.draft_reply]
  reply_contains: [forgot password]
`,
};

export async function init(opts: { file: string; force?: boolean }, io: Io): Promise<number> {
  const planFile = path.resolve(opts.file);
  const dir = path.dirname(planFile);
  const targets = [planFile, ...Object.keys(FILES).map((f) => path.join(dir, f))];
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length && !opts.force) {
    throw new UsageError(`refusing to overwrite ${existing.map((e) => path.relative(process.cwd(), e)).join(', ')}`, { details: ['use --force to overwrite, or give another file name'] });
  }
  const name = path.basename(planFile).replace(/\.ya?ml$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '') || 'my-agent';
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(planFile, PLAN(name));
  for (const [rel, text] of Object.entries(FILES)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  io.out(`wrote ${path.relative(process.cwd(), planFile)} and ${Object.keys(FILES).join(', ')}\nnext: agentrt validate ${path.relative(process.cwd(), planFile)} && agentrt eval ${path.relative(process.cwd(), planFile)}\n`);
  return 0;
}
