import type { RecordDiff } from '../../trace/events.js';
import { ToolError, type FixtureRecord } from '../types.js';
import { arg, define, mustGet, newId, object, stamp, str } from './define.js';

type Note = { id: string; author: string; text: string; at: string };
const notesOf = (t: FixtureRecord) => (Array.isArray(t.notes) ? (t.notes as Note[]) : []);
const before = (diff: RecordDiff[]) => (diff[0]?.before ?? {}) as Record<string, unknown>;

export const ticketTools = [
  define({
    name: 'tickets.get_ticket',
    system: 'tickets',
    risk: 'read',
    description: 'Read a support ticket with its status, priority, internal notes and current draft reply.',
    input: object({ ticket_id: str('Ticket id, e.g. T-1001') }, ['ticket_id']),
    run: (args, ctx) => mustGet(ctx, 'tickets', 'tickets', arg(args, 'ticket_id')),
  }),
  define({
    name: 'tickets.add_internal_note',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.remove_internal_note',
    description: 'Add an internal note to a ticket (never shown to the customer).',
    input: object(
      {
        ticket_id: str('Ticket id'),
        note: str('The note', { minLength: 1, maxLength: 4000 }),
        restore: { type: 'object', description: 'Rollback only: put back a removed note exactly (id, author, at, index).' },
      },
      ['ticket_id', 'note'],
    ),
    undoArgs: (args, result) => ({ ticket_id: args.ticket_id, note_id: (result as { note_id: string }).note_id }),
    run(args, ctx) {
      const id = arg(args, 'ticket_id');
      const notes = notesOf(mustGet(ctx, 'tickets', 'tickets', id));
      const r = (args.restore ?? {}) as Partial<Note> & { index?: number };
      const note: Note = { id: r.id ?? newId('NOTE', ctx), author: r.author ?? 'agent', text: arg(args, 'note'), at: r.at ?? stamp(ctx) };
      const at = typeof r.index === 'number' ? r.index : notes.length;
      ctx.store.update('tickets', 'tickets', id, { notes: [...notes.slice(0, at), note, ...notes.slice(at)] });
      return { ticket_id: id, note_id: note.id };
    },
  }),
  define({
    name: 'tickets.remove_internal_note',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.add_internal_note',
    description: 'Remove an internal note from a ticket.',
    input: object({ ticket_id: str('Ticket id'), note_id: str('Note id') }, ['ticket_id', 'note_id']),
    undoArgs: (args, _r, diff) => {
      const notes = notesOf(before(diff) as FixtureRecord);
      const index = notes.findIndex((n) => n.id === args.note_id);
      const note = notes[index];
      return { ticket_id: args.ticket_id, note: note?.text ?? '', restore: { id: note?.id, author: note?.author, at: note?.at, index } };
    },
    run(args, ctx) {
      const id = arg(args, 'ticket_id');
      const noteId = arg(args, 'note_id');
      const notes = notesOf(mustGet(ctx, 'tickets', 'tickets', id));
      if (!notes.some((n) => n.id === noteId)) throw new ToolError('not_found', `ticket ${id} has no note "${noteId}"`);
      ctx.store.update('tickets', 'tickets', id, { notes: notes.filter((n) => n.id !== noteId) });
      return { ticket_id: id, removed: noteId };
    },
  }),
  define({
    name: 'tickets.set_priority',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.set_priority',
    description: 'Set the priority of a ticket.',
    input: object({ ticket_id: str('Ticket id'), priority: str('New priority', { enum: ['low', 'normal', 'high', 'urgent'] }) }, ['ticket_id', 'priority']),
    undoArgs: (args, _r, diff) => ({ ticket_id: args.ticket_id, priority: before(diff).priority ?? 'normal' }),
    run(args, ctx) {
      const id = arg(args, 'ticket_id');
      const previous = mustGet(ctx, 'tickets', 'tickets', id).priority;
      ctx.store.update('tickets', 'tickets', id, { priority: arg(args, 'priority') });
      return { ticket_id: id, priority: args.priority, previous };
    },
  }),
  define({
    name: 'tickets.draft_reply',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.discard_draft',
    description: 'Save a draft reply to the customer on the ticket (a person reviews drafts before sending).',
    input: object({ ticket_id: str('Ticket id'), body: str('The reply text', { minLength: 1, maxLength: 8000 }) }, ['ticket_id', 'body']),
    undoArgs: (args) => ({ ticket_id: args.ticket_id }),
    run(args, ctx) {
      const id = arg(args, 'ticket_id');
      mustGet(ctx, 'tickets', 'tickets', id);
      const draft = { id: newId('DRAFT', ctx), body: arg(args, 'body'), at: stamp(ctx) };
      ctx.store.update('tickets', 'tickets', id, { draft });
      return { ticket_id: id, draft_id: draft.id };
    },
  }),
  define({
    name: 'tickets.discard_draft',
    system: 'tickets',
    risk: 'reversible',
    undo: 'tickets.draft_reply',
    description: 'Discard the current draft reply of a ticket.',
    input: object({ ticket_id: str('Ticket id') }, ['ticket_id']),
    undoArgs: (args, _r, diff) => ({ ticket_id: args.ticket_id, body: (before(diff).draft as { body?: string } | null)?.body ?? '' }),
    run(args, ctx) {
      const id = arg(args, 'ticket_id');
      if (!mustGet(ctx, 'tickets', 'tickets', id).draft) throw new ToolError('not_found', `ticket ${id} has no draft`);
      ctx.store.update('tickets', 'tickets', id, { draft: null });
      return { ticket_id: id, discarded: true };
    },
  }),
];
