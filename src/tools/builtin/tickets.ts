// The support queue: tickets with internal notes, a priority and at most one draft reply.
import { ToolError, type FixtureRecord, type ToolContext } from '../types.js';
import { arg, beforeOf, define, mustGet, newId, object, restoreOf, stamp, str } from './define.js';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

type Note = { id: string; author: string; text: string; at: string };
type Draft = { id: string; body: string; at: string };
const notesOf = (t: FixtureRecord | undefined) => (Array.isArray(t?.notes) ? (t.notes as Note[]) : []);
const ticketPath = (id: unknown) => `tickets.tickets.${String(id)}`;
const ticket = (ctx: ToolContext, args: Record<string, unknown>) => mustGet(ctx, 'tickets', 'tickets', arg(args, 'ticket_id'));

export const ticketTools = [
  define({
    name: 'tickets.get_ticket',
    system: 'tickets',
    risk: 'read',
    description: 'Read a support ticket: sender, subject, body, status, priority, its internal notes (oldest first) and the current draft reply, if any.',
    input: object({ ticket_id: str('Ticket id, e.g. T-1001') }, ['ticket_id']),
    run: (args, ctx) => ticket(ctx, args),
  }),
  define({
    name: 'tickets.add_internal_note',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.remove_internal_note',
    description: 'Add an internal note to a ticket for colleagues (never shown to the customer): what you checked, what you found, what is next.',
    input: object({ ticket_id: str('Ticket id'), note: str('The note', { minLength: 1, maxLength: 4000 }) }, ['ticket_id', 'note']),
    undoArgs: (args, result) => ({ ticket_id: args.ticket_id, note_id: (result as { note_id: string }).note_id }),
    run(args, ctx) {
      const t = ticket(ctx, args);
      const notes = notesOf(t);
      // Undo of a removal: the exact note goes back where it was.
      const restore = restoreOf<{ note: Note; index: number }>(args, ctx);
      const note: Note = restore?.note ?? { id: newId('NOTE', ctx), author: 'agent', text: arg(args, 'note'), at: stamp(ctx) };
      const at = restore ? Math.min(Math.max(0, restore.index), notes.length) : notes.length;
      ctx.store.update('tickets', 'tickets', t.id, { notes: [...notes.slice(0, at), note, ...notes.slice(at)] });
      return { ticket_id: t.id, note_id: note.id };
    },
  }),
  define({
    name: 'tickets.remove_internal_note',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.add_internal_note',
    description: 'Remove an internal note you added by mistake. Notes written by people cannot be removed.',
    input: object({ ticket_id: str('Ticket id'), note_id: str('Note id, e.g. NOTE-…') }, ['ticket_id', 'note_id']),
    undoArgs: (args, _r, diff) => {
      const notes = notesOf(beforeOf(diff, ticketPath(args.ticket_id)));
      const index = notes.findIndex((n) => n.id === args.note_id);
      return { ticket_id: args.ticket_id, note: notes[index]?.text ?? '(restored note)', _restore: { note: notes[index], index } };
    },
    run(args, ctx) {
      const t = ticket(ctx, args);
      const noteId = arg(args, 'note_id');
      const note = notesOf(t).find((n) => n.id === noteId);
      if (!note) throw new ToolError('not_found', `ticket ${t.id} has no note "${noteId}"`);
      // The history people wrote is evidence; an agent may only take back its own notes.
      if (note.author !== 'agent' && !ctx.undo) throw new ToolError('denied', `note ${noteId} was written by ${note.author}; only the agent's own notes can be removed`);
      ctx.store.update('tickets', 'tickets', t.id, { notes: notesOf(t).filter((n) => n.id !== noteId) });
      return { ticket_id: t.id, removed: noteId };
    },
  }),
  define({
    name: 'tickets.set_priority',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.set_priority',
    description: 'Set the priority of a ticket: low, normal, high or urgent (urgent = outage or business stopped).',
    input: object({ ticket_id: str('Ticket id'), priority: str('The new priority', { enum: [...PRIORITIES] }) }, ['ticket_id', 'priority']),
    undoArgs: (args, _r, diff) => {
      const before = beforeOf(diff, ticketPath(args.ticket_id));
      // A ticket seeded without a priority gets its field removed again, not set to a guess.
      return before && 'priority' in before ? { ticket_id: args.ticket_id, priority: before.priority } : { ticket_id: args.ticket_id, priority: 'normal', _restore: { absent: true } };
    },
    run(args, ctx) {
      const t = ticket(ctx, args);
      const priority = arg(args, 'priority');
      if (!(PRIORITIES as readonly string[]).includes(priority)) throw new ToolError('invalid_args', `priority must be one of ${PRIORITIES.join(', ')}`);
      ctx.store.update('tickets', 'tickets', t.id, { priority: restoreOf<{ absent?: boolean }>(args, ctx)?.absent ? undefined : priority });
      return { ticket_id: t.id, priority, previous: t.priority ?? 'normal' };
    },
  }),
  define({
    name: 'tickets.draft_reply',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.discard_draft',
    description:
      'Save a draft reply to the customer on the ticket; a person reviews drafts before they are sent. Replaces ' +
      'any earlier draft. Write the full reply text, grounded in current (not outdated) knowledge-base articles.',
    input: object({ ticket_id: str('Ticket id'), body: str('The full reply text', { minLength: 1, maxLength: 8000 }) }, ['ticket_id', 'body']),
    undoArgs: (args, _r, diff) => {
      const before = beforeOf(diff, ticketPath(args.ticket_id));
      return { ticket_id: args.ticket_id, _restore: before && 'draft' in before ? { draft: before.draft } : {} };
    },
    run(args, ctx) {
      const t = ticket(ctx, args);
      const restore = restoreOf<{ draft: Draft }>(args, ctx);
      const draft: Draft = restore?.draft ?? { id: newId('DRAFT', ctx), body: arg(args, 'body'), at: stamp(ctx) };
      ctx.store.update('tickets', 'tickets', t.id, { draft });
      return { ticket_id: t.id, draft_id: draft.id, replaced: t.draft ? (t.draft as Draft).id : null };
    },
  }),
  define({
    name: 'tickets.discard_draft',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.draft_reply',
    description: 'Discard the current draft reply of a ticket.',
    input: object({ ticket_id: str('Ticket id') }, ['ticket_id']),
    undoArgs: (args, _r, diff) => {
      const draft = beforeOf(diff, ticketPath(args.ticket_id))?.draft as Draft | undefined;
      return { ticket_id: args.ticket_id, body: draft?.body ?? '(restored draft)', _restore: { draft } };
    },
    run(args, ctx) {
      const t = ticket(ctx, args);
      const restore = restoreOf<{ draft?: unknown }>(args, ctx);
      if (restore) {
        // Undo of a draft_reply: back to exactly the draft (or no draft field) the ticket had before.
        ctx.store.update('tickets', 'tickets', t.id, { draft: 'draft' in restore ? restore.draft : undefined });
        return { ticket_id: t.id, restored: true };
      }
      if (!t.draft) throw new ToolError('not_found', `ticket ${t.id} has no draft`);
      ctx.store.update('tickets', 'tickets', t.id, { draft: null });
      return { ticket_id: t.id, discarded: (t.draft as Draft).id };
    },
  }),
];
