import { ToolError } from '../types.js';
import { arg, define, matches, mustGet, object, str } from './define.js';

export const crmTools = [
  define({
    name: 'crm.get_account',
    system: 'crm',
    risk: 'read',
    description: 'Look up one customer account by account_id or by a contact email. Returns the account, its contacts and entitlements.',
    input: object({ account_id: str('Account id, e.g. ACC-1001'), email: str('Email of a contact of the account') }, []),
    run(args, ctx) {
      let accountId = typeof args.account_id === 'string' ? args.account_id : undefined;
      if (!accountId && typeof args.email === 'string') {
        const email = args.email.toLowerCase();
        const hits = ctx.store.list('crm', 'contacts', (c) => String(c.email).toLowerCase() === email);
        if (!hits.length) throw new ToolError('not_found', `no contact with email "${args.email}"`);
        if (new Set(hits.map((h) => h.account_id)).size > 1) {
          return { matches: hits.map((h) => ({ account_id: h.account_id, contact: h.name })), note: 'several accounts share this email' };
        }
        accountId = String(hits[0]!.account_id);
      }
      if (!accountId) throw new ToolError('invalid_args', 'give `account_id` or `email`');
      const account = mustGet(ctx, 'crm', 'accounts', accountId);
      return { ...account, contacts: ctx.store.list('crm', 'contacts', (c) => c.account_id === accountId) };
    },
  }),
  define({
    name: 'crm.search_accounts',
    system: 'crm',
    risk: 'read',
    description: 'Search accounts by company name, domain or contact email. Returns every match (duplicates included).',
    input: object({ query: str('Name, domain or email to search for', { minLength: 2 }) }, ['query']),
    run(args, ctx) {
      const q = arg(args, 'query');
      const contacts = ctx.store.list('crm', 'contacts', (c) => matches([c.email, c.name], q));
      const ids = new Set(contacts.map((c) => String(c.account_id)));
      const accounts = ctx.store.list('crm', 'accounts', (a) => ids.has(a.id) || matches([a.name, a.domain], q));
      return { count: accounts.length, accounts: accounts.map((a) => ({ id: a.id, name: a.name, domain: a.domain, plan: a.plan, status: a.status })) };
    },
  }),
  define({
    name: 'crm.update_plan',
    system: 'crm',
    risk: 'irreversible',
    description: "Change an account's subscription plan (billing changes immediately). Needs approval.",
    input: object(
      { account_id: str('Account id'), plan: str('New plan', { enum: ['free', 'starter', 'pro', 'enterprise'] }), reason: str('Why') },
      ['account_id', 'plan', 'reason'],
    ),
    run(args, ctx) {
      const id = arg(args, 'account_id');
      mustGet(ctx, 'crm', 'accounts', id);
      ctx.store.update('crm', 'accounts', id, { plan: arg(args, 'plan') });
      return { account_id: id, plan: args.plan, status: 'updated' };
    },
  }),
];
