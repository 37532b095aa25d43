// Internal follow-up tasks for other teams (the way support hands work on without escalating the ticket).
import type { FixtureRecord } from '../types.js';
import { arg, beforeOf, define, mustGet, newId, object, optArg, putBack, restoreOf, stamp, str } from './define.js';

export const TEAMS = ['billing', 'engineering', 'success', 'security', 'legal', 'support', 'privacy'] as const;

export const taskTools = [
  define({
    name: 'tasks.create_internal',
    system: 'tasks',
    risk: 'reversible',
    undo: 'tasks.cancel_internal',
    description:
      'Create an internal follow-up task for a team (billing, engineering, success, security, legal, support, privacy). ' +
      'Use it for work another team must do; it does not hand the ticket over (that is handoff.escalate).',
    input: object(
      {
        title: str('Short title', { minLength: 3, maxLength: 200 }),
        description: str('What needs doing and why, with the ticket and account ids', { minLength: 10, maxLength: 4000 }),
        team: str('The owning team', { enum: [...TEAMS] }),
        ticket_id: str('The ticket this task comes from'),
      },
      ['title', 'description', 'team'],
    ),
    undoArgs: (_a, result) => ({ task_id: (result as { task_id: string }).task_id }),
    run(args, ctx) {
      const restore = restoreOf<{ record: FixtureRecord }>(args, ctx);
      if (restore) {
        putBack(ctx, 'tasks', 'tasks', restore.record);
        return { task_id: restore.record.id, restored: true };
      }
      const ticketId = optArg(args, 'ticket_id');
      if (ticketId) mustGet(ctx, 'tickets', 'tickets', ticketId);
      const task = { id: newId('TASK', ctx), title: arg(args, 'title'), description: arg(args, 'description'), team: arg(args, 'team'), ticket_id: ticketId ?? null, status: 'open', created_at: stamp(ctx) };
      ctx.store.create('tasks', 'tasks', task);
      return { task_id: task.id, status: 'open' };
    },
  }),
  define({
    name: 'tasks.cancel_internal',
    system: 'tasks',
    risk: 'reversible',
    undo: 'tasks.create_internal',
    description: 'Cancel (remove) an internal task that was created by mistake.',
    input: object({ task_id: str('Task id, e.g. TASK-…') }, ['task_id']),
    undoArgs: (args, _r, diff) => {
      const t = beforeOf(diff, `tasks.tasks.${String(args.task_id)}`) ?? { id: String(args.task_id) };
      return { title: t.title, description: t.description, team: t.team, _restore: { record: t } };
    },
    run(args, ctx) {
      const id = arg(args, 'task_id');
      mustGet(ctx, 'tasks', 'tasks', id);
      ctx.store.delete('tasks', 'tasks', id);
      return { task_id: id, cancelled: true };
    },
  }),
];
