// The human handoff: an escalation record a person picks up, and the ticket marked as escalated.
import { ESCALATION_CATEGORIES } from '../../plan/case-schema.js';
import { ToolError, type FixtureRecord, type ToolContext } from '../types.js';
import { arg, beforeOf, define, mustGet, newId, object, optArg, putBack, restoreOf, stamp, str } from './define.js';

type Restore = { record?: FixtureRecord; ticket_status?: unknown };

/** Sets the ticket's status, or removes the field when it had none (so an undo is exact). */
function setTicketStatus(ctx: ToolContext, ticketId: unknown, status: unknown): void {
  if (typeof ticketId === 'string' && ctx.store.get('tickets', 'tickets', ticketId)) ctx.store.update('tickets', 'tickets', ticketId, { status });
}

export const handoffTools = [
  define({
    name: 'handoff.escalate',
    system: 'handoff',
    risk: 'reversible',
    undo: 'handoff.withdraw',
    description:
      'Hand the ticket to a human. Give the reason category and a summary a colleague can act on without re-reading ' +
      'everything: who the customer is (account id), what they asked, what you checked and found, and what decision ' +
      'or action is needed. Do not take the risky action yourself after escalating.',
    input: object(
      {
        reason: str('Why a human is needed', { enum: [...ESCALATION_CATEGORIES] }),
        summary: str('Summary for the human', { minLength: 20, maxLength: 4000 }),
        ticket_id: str('The ticket being escalated'),
      },
      ['reason', 'summary'],
    ),
    undoArgs: (_a, result, diff) => {
      const { escalation_id: id, ticket_id: ticketId } = result as { escalation_id: string; ticket_id: string | null };
      const ticket = ticketId ? beforeOf(diff, `tickets.tickets.${ticketId}`) : undefined;
      return { escalation_id: id, ...(ticket ? { _restore: { ticket_status: ticket.status } } : {}) };
    },
    run(args, ctx) {
      const restore = restoreOf<Restore>(args, ctx);
      if (restore?.record) {
        // Undo of a withdrawal: the same escalation, and the ticket status it had then.
        putBack(ctx, 'handoff', 'escalations', restore.record);
        setTicketStatus(ctx, restore.record.ticket_id, restore.ticket_status);
        return { escalation_id: restore.record.id, ticket_id: restore.record.ticket_id ?? null, status: restore.record.status };
      }
      const reason = arg(args, 'reason');
      if (!(ESCALATION_CATEGORIES as readonly string[]).includes(reason)) throw new ToolError('invalid_args', `reason must be one of ${ESCALATION_CATEGORIES.join(', ')}`);
      const summary = arg(args, 'summary');
      if (summary.length < 20) throw new ToolError('invalid_args', '`summary` must say enough for a person to act on (20+ characters)');
      const ticketId = optArg(args, 'ticket_id') ?? null;
      if (ticketId) mustGet(ctx, 'tickets', 'tickets', ticketId);
      const id = newId('ESC', ctx);
      ctx.store.create('handoff', 'escalations', { id, ticket_id: ticketId, reason, summary, status: 'waiting_for_human', at: stamp(ctx) });
      setTicketStatus(ctx, ticketId, 'escalated');
      return { escalation_id: id, ticket_id: ticketId, status: 'waiting_for_human' };
    },
  }),
  define({
    name: 'handoff.withdraw',
    system: 'handoff',
    risk: 'reversible',
    undo: 'handoff.escalate',
    description: 'Withdraw an escalation you made by mistake; the ticket goes back to the open queue.',
    input: object({ escalation_id: str('Escalation id, e.g. ESC-…') }, ['escalation_id']),
    undoArgs: (args, _r, diff) => {
      const esc = beforeOf(diff, `handoff.escalations.${String(args.escalation_id)}`) ?? { id: String(args.escalation_id) };
      const ticket = typeof esc.ticket_id === 'string' ? beforeOf(diff, `tickets.tickets.${esc.ticket_id}`) : undefined;
      return { reason: esc.reason, summary: esc.summary, ...(esc.ticket_id ? { ticket_id: esc.ticket_id } : {}), _restore: { record: esc, ticket_status: ticket?.status } };
    },
    run(args, ctx) {
      const id = arg(args, 'escalation_id');
      const esc = mustGet(ctx, 'handoff', 'escalations', id);
      ctx.store.delete('handoff', 'escalations', id);
      // Undo of an escalate: the ticket gets back the status it had before, not a guess.
      const restore = restoreOf<Restore>(args, ctx);
      setTicketStatus(ctx, esc.ticket_id, restore && 'ticket_status' in restore ? restore.ticket_status : 'open');
      return { escalation_id: id, withdrawn: true };
    },
  }),
];
