// Engineering issue tracker: search known bugs before filing a new one.
import { ToolError, type FixtureRecord } from '../types.js';
import { arg, beforeOf, define, mustGet, newId, object, optArg, putBack, restoreOf, score, stamp, str } from './define.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const RESOLUTIONS = ['fixed', 'duplicate', 'wont_fix', 'filed_in_error'] as const;

export const engTools = [
  define({
    name: 'eng.search_issues',
    system: 'eng',
    risk: 'read',
    description: 'Search the engineering issue tracker for known bugs and incidents (open and closed), best match first.',
    input: object({ query: str('Words to search for', { minLength: 2, maxLength: 200 }) }, ['query']),
    run(args, ctx) {
      const q = arg(args, 'query');
      const hits = ctx.store
        .list('eng', 'issues')
        .map((i) => ({ i, s: score([i.title, i.body], q) }))
        .filter((h) => h.s > 0)
        .sort((x, y) => y.s - x.s || x.i.id.localeCompare(y.i.id));
      return { results: hits.map(({ i }) => ({ id: i.id, title: i.title, status: i.status, severity: i.severity })) };
    },
  }),
  define({
    name: 'eng.create_issue',
    system: 'eng',
    risk: 'reversible',
    undo: 'eng.close_issue',
    description: 'File a new engineering issue (a bug report) with what happens, what was expected and how to reproduce. Search first: do not file duplicates.',
    input: object(
      {
        title: str('Title', { minLength: 5, maxLength: 200 }),
        body: str('What happens, what was expected, reproduction steps, affected customer', { minLength: 10, maxLength: 8000 }),
        severity: str('Severity', { enum: [...SEVERITIES] }),
        ticket_id: str('The ticket that reported it'),
      },
      ['title', 'body', 'severity'],
    ),
    undoArgs: (_a, result) => ({ issue_id: (result as { issue_id: string }).issue_id, resolution: 'filed_in_error' }),
    run(args, ctx) {
      // Undo of a close: the issue goes back exactly as it was (reopened, or re-filed if it was withdrawn).
      const restore = restoreOf<{ record: FixtureRecord }>(args, ctx);
      if (restore) {
        putBack(ctx, 'eng', 'issues', restore.record);
        return { issue_id: restore.record.id, status: restore.record.status };
      }
      const ticketId = optArg(args, 'ticket_id');
      if (ticketId) mustGet(ctx, 'tickets', 'tickets', ticketId);
      const issue = { id: newId('ENG', ctx), title: arg(args, 'title'), body: arg(args, 'body'), severity: arg(args, 'severity'), status: 'open', reporter: 'agent', ticket_id: ticketId ?? null, created_at: stamp(ctx) };
      ctx.store.create('eng', 'issues', issue);
      return { issue_id: issue.id, status: 'open' };
    },
  }),
  define({
    name: 'eng.close_issue',
    system: 'eng',
    risk: 'reversible',
    undo: 'eng.create_issue',
    description:
      'Close an engineering issue with a resolution. `filed_in_error` withdraws an issue you filed by mistake (it is ' +
      'removed); issues filed by engineers can only be closed as fixed, duplicate or wont_fix.',
    input: object({ issue_id: str('Issue id, e.g. ENG-301'), resolution: str('Why it is closed', { enum: [...RESOLUTIONS] }) }, ['issue_id', 'resolution']),
    undoArgs: (args, _r, diff) => {
      const before = beforeOf(diff, `eng.issues.${String(args.issue_id)}`) ?? { id: String(args.issue_id) };
      return { title: before.title, body: before.body, severity: before.severity, _restore: { record: before } };
    },
    run(args, ctx) {
      const id = arg(args, 'issue_id');
      const resolution = arg(args, 'resolution');
      if (!(RESOLUTIONS as readonly string[]).includes(resolution)) throw new ToolError('invalid_args', `resolution must be one of ${RESOLUTIONS.join(', ')}`);
      const issue = mustGet(ctx, 'eng', 'issues', id);
      if (resolution === 'filed_in_error') {
        // Withdrawing removes the issue as if never filed; only for the agent's own filings, so history stays intact.
        if (issue.reporter !== 'agent') throw new ToolError('denied', `issue ${id} was not filed by the agent; close it as fixed, duplicate or wont_fix`);
        ctx.store.delete('eng', 'issues', id);
        return { issue_id: id, status: 'withdrawn' };
      }
      if (issue.status === 'closed') throw new ToolError('conflict', `issue ${id} is already closed`);
      ctx.store.update('eng', 'issues', id, { status: 'closed', resolution, closed_at: stamp(ctx) });
      return { issue_id: id, status: 'closed', resolution };
    },
  }),
];
