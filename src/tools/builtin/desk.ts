// Tasks, knowledge base, engineering issues, outbound email and the human handoff.
import { ESCALATION_CATEGORIES } from '../../plan/case-schema.js';
import { ToolError } from '../types.js';
import { arg, define, mustGet, newId, object, score, stamp, str } from './define.js';

export const deskTools = [
  define({
    name: 'tasks.create_internal',
    system: 'tasks',
    risk: 'reversible',
    undo: 'tasks.cancel_internal',
    description: 'Create an internal follow-up task for a team (billing, engineering, success, security, legal).',
    input: object(
      { title: str('Short title'), description: str('What needs doing'), team: str('Owning team', { enum: ['billing', 'engineering', 'success', 'security', 'legal', 'support'] }) },
      ['title', 'description', 'team'],
    ),
    undoArgs: (_a, result) => ({ task_id: (result as { task_id: string }).task_id }),
    run(args, ctx) {
      const id = newId('TASK', ctx);
      ctx.store.create('tasks', 'tasks', { id, title: arg(args, 'title'), description: arg(args, 'description'), team: arg(args, 'team'), status: 'open', created_at: stamp(ctx) });
      return { task_id: id };
    },
  }),
  define({
    name: 'tasks.cancel_internal',
    system: 'tasks',
    risk: 'reversible',
    undo: 'tasks.create_internal',
    description: 'Cancel (remove) an internal task created by mistake.',
    input: object({ task_id: str('Task id') }, ['task_id']),
    undoArgs: (_a, _r, diff) => {
      const t = (diff[0]?.before ?? {}) as Record<string, unknown>;
      return { title: t.title, description: t.description, team: t.team };
    },
    run(args, ctx) {
      const id = arg(args, 'task_id');
      mustGet(ctx, 'tasks', 'tasks', id);
      ctx.store.delete('tasks', 'tasks', id);
      return { task_id: id, cancelled: true };
    },
  }),
  define({
    name: 'kb.search',
    system: 'kb',
    risk: 'read',
    description: 'Search knowledge-base articles. Returns id, title, status (current or outdated) and last update, best match first.',
    input: object({ query: str('Words to search for', { minLength: 2 }) }, ['query']),
    run(args, ctx) {
      const q = arg(args, 'query');
      const hits = ctx.store
        .list('kb', 'articles')
        .map((a) => ({ a, s: score([a.title, a.tags, a.body], q) }))
        .filter((h) => h.s > 0)
        .sort((x, y) => y.s - x.s || x.a.id.localeCompare(y.a.id))
        .slice(0, 5);
      return { results: hits.map(({ a }) => ({ id: a.id, title: a.title, status: a.status, updated_at: a.updated_at, superseded_by: a.superseded_by ?? null })) };
    },
  }),
  define({
    name: 'kb.get_article',
    system: 'kb',
    risk: 'read',
    description: 'Read one knowledge-base article in full.',
    input: object({ article_id: str('Article id, e.g. KB-101') }, ['article_id']),
    run: (args, ctx) => mustGet(ctx, 'kb', 'articles', arg(args, 'article_id')),
  }),
  define({
    name: 'eng.search_issues',
    system: 'eng',
    risk: 'read',
    description: 'Search the engineering issue tracker for known bugs and incidents.',
    input: object({ query: str('Words to search for', { minLength: 2 }) }, ['query']),
    run(args, ctx) {
      const q = arg(args, 'query');
      return { results: ctx.store.list('eng', 'issues').filter((i) => score([i.title, i.body], q) > 0).map((i) => ({ id: i.id, title: i.title, status: i.status, severity: i.severity })) };
    },
  }),
  define({
    name: 'eng.create_issue',
    system: 'eng',
    risk: 'reversible',
    undo: 'eng.close_issue',
    description: 'File a new engineering issue (bug report) with reproduction details.',
    input: object({ title: str('Title'), body: str('Details and reproduction steps'), severity: str('Severity', { enum: ['low', 'medium', 'high', 'critical'] }) }, ['title', 'body', 'severity']),
    undoArgs: (_a, result) => ({ issue_id: (result as { issue_id: string }).issue_id }),
    run(args, ctx) {
      const id = newId('ENG', ctx);
      ctx.store.create('eng', 'issues', { id, title: arg(args, 'title'), body: arg(args, 'body'), severity: arg(args, 'severity'), status: 'open', created_at: stamp(ctx) });
      return { issue_id: id };
    },
  }),
  define({
    name: 'eng.close_issue',
    system: 'eng',
    risk: 'reversible',
    undo: 'eng.create_issue',
    description: 'Close an engineering issue filed by mistake.',
    input: object({ issue_id: str('Issue id') }, ['issue_id']),
    run(args, ctx) {
      const id = arg(args, 'issue_id');
      mustGet(ctx, 'eng', 'issues', id);
      ctx.store.update('eng', 'issues', id, { status: 'closed' });
      return { issue_id: id, status: 'closed' };
    },
  }),
  define({
    name: 'email.send_customer',
    system: 'email',
    risk: 'irreversible',
    description: 'Send an email to the customer now. Cannot be unsent. Prefer tickets.draft_reply unless sending is clearly right.',
    input: object({ ticket_id: str('Ticket id'), to: str('Recipient email'), subject: str('Subject'), body: str('Email body', { minLength: 1, maxLength: 8000 }) }, ['ticket_id', 'to', 'subject', 'body']),
    run(args, ctx) {
      mustGet(ctx, 'tickets', 'tickets', arg(args, 'ticket_id'));
      const id = newId('MAIL', ctx);
      ctx.store.create('email', 'outbox', { id, ticket_id: args.ticket_id, to: arg(args, 'to'), subject: arg(args, 'subject'), body: arg(args, 'body'), sent_at: stamp(ctx) });
      return { message_id: id, status: 'sent' };
    },
  }),
  define({
    name: 'handoff.withdraw',
    system: 'handoff',
    risk: 'reversible',
    undo: 'handoff.escalate',
    description: 'Withdraw an escalation made by mistake (the ticket returns to the queue).',
    input: object({ escalation_id: str('Escalation id') }, ['escalation_id']),
    undoArgs: (_a, _r, diff) => {
      const e = (diff[0]?.before ?? {}) as Record<string, unknown>;
      return { reason: e.reason, summary: e.summary, ...(e.ticket_id ? { ticket_id: e.ticket_id } : {}) };
    },
    run(args, ctx) {
      const id = arg(args, 'escalation_id');
      const esc = mustGet(ctx, 'handoff', 'escalations', id);
      ctx.store.delete('handoff', 'escalations', id);
      if (typeof esc.ticket_id === 'string' && ctx.store.get('tickets', 'tickets', esc.ticket_id)) ctx.store.update('tickets', 'tickets', esc.ticket_id, { status: 'open' });
      return { escalation_id: id, withdrawn: true };
    },
  }),
  define({
    name: 'handoff.escalate',
    system: 'handoff',
    risk: 'reversible',
    undo: 'handoff.withdraw',
    undoArgs: (_a, result) => ({ escalation_id: (result as { escalation_id: string }).escalation_id }),
    description: 'Hand the ticket to a human with a reason category and a summary they can act on (who, what, what you found, what is needed).',
    input: object(
      { reason: str('Why a human is needed', { enum: [...ESCALATION_CATEGORIES] }), summary: str('Summary for the human', { minLength: 20, maxLength: 4000 }), ticket_id: str('Ticket id') },
      ['reason', 'summary'],
    ),
    run(args, ctx) {
      const id = newId('ESC', ctx);
      const ticketId = typeof args.ticket_id === 'string' ? args.ticket_id : null;
      if (ticketId && !ctx.store.get('tickets', 'tickets', ticketId)) throw new ToolError('not_found', `no ticket "${ticketId}"`);
      ctx.store.create('handoff', 'escalations', { id, ticket_id: ticketId, reason: arg(args, 'reason'), summary: arg(args, 'summary'), status: 'waiting_for_human', at: stamp(ctx) });
      if (ticketId) ctx.store.update('tickets', 'tickets', ticketId, { status: 'escalated' });
      return { escalation_id: id, status: 'waiting_for_human' };
    },
  }),
];
