// Knowledge base. Some articles are outdated on purpose: results always say so, and which article replaced them.
import { arg, define, mustGet, object, score, str } from './define.js';

export const kbTools = [
  define({
    name: 'kb.search',
    system: 'kb',
    risk: 'read',
    description:
      'Search knowledge-base articles; best match first, at most 5. Each result has id, title, status (`current` or ' +
      '`outdated`), updated_at and superseded_by. Never quote an outdated article as policy: follow superseded_by.',
    input: object({ query: str('Words to search for', { minLength: 2, maxLength: 200 }) }, ['query']),
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
    description: 'Read one knowledge-base article in full (check its status and updated_at before relying on it).',
    input: object({ article_id: str('Article id, e.g. KB-101') }, ['article_id']),
    run: (args, ctx) => mustGet(ctx, 'kb', 'articles', arg(args, 'article_id')),
  }),
];
