// Outbound customer email. Sending is final, so the tool is irreversible and the plan puts it behind approval.
import { ToolError } from '../types.js';
import { arg, define, mustGet, newId, object, stamp, str } from './define.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const emailTools = [
  define({
    name: 'email.send_customer',
    system: 'email',
    risk: 'irreversible',
    description:
      'Send an email to the customer now, about a ticket. It cannot be unsent and needs approval; prefer ' +
      'tickets.draft_reply unless sending right away is clearly what the ticket needs.',
    input: object(
      {
        ticket_id: str('The ticket this email answers'),
        to: str('Recipient email address'),
        subject: str('Subject line', { minLength: 1, maxLength: 300 }),
        body: str('Email body', { minLength: 1, maxLength: 8000 }),
      },
      ['ticket_id', 'to', 'subject', 'body'],
    ),
    run(args, ctx) {
      const ticketId = arg(args, 'ticket_id');
      mustGet(ctx, 'tickets', 'tickets', ticketId);
      const to = arg(args, 'to');
      if (!EMAIL.test(to)) throw new ToolError('invalid_args', `"${to}" is not an email address`);
      const message = { id: newId('MAIL', ctx), ticket_id: ticketId, to, subject: arg(args, 'subject'), body: arg(args, 'body'), sent_at: stamp(ctx) };
      ctx.store.create('email', 'outbox', message);
      return { message_id: message.id, status: 'sent' };
    },
  }),
];
