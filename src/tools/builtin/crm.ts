// CRM: accounts, their contacts and entitlements. Duplicates exist on purpose; the tools never pick one silently.
import { ToolError, type FixtureRecord, type ToolContext } from '../types.js';
import { arg, define, matches, mustGet, object, optArg, stamp, str } from './define.js';

export const PLANS = ['free', 'starter', 'pro', 'enterprise'] as const;

const contactsOf = (ctx: ToolContext, accountId: string) => ctx.store.list('crm', 'contacts', (c) => c.account_id === accountId);

function accountView(ctx: ToolContext, account: FixtureRecord) {
  return { ...account, entitlements: Array.isArray(account.entitlements) ? account.entitlements : [], contacts: contactsOf(ctx, account.id) };
}

export const crmTools = [
  define({
    name: 'crm.get_account',
    system: 'crm',
    risk: 'read',
    description:
      'Look up one customer account by `account_id` or by the `email` of one of its contacts (give one of them). ' +
      'Returns the account (plan, SLA tier, status, notes), its entitlements and its contacts. If the email belongs ' +
      'to contacts of several accounts, returns `matches` instead so you can tell them apart.',
    input: object({ account_id: str('Account id, e.g. ACC-1001'), email: str('Email address of a contact of the account', { minLength: 3 }) }, []),
    run(args, ctx) {
      const accountId = optArg(args, 'account_id');
      const email = optArg(args, 'email')?.toLowerCase();
      if (accountId) return accountView(ctx, mustGet(ctx, 'crm', 'accounts', accountId));
      if (!email) throw new ToolError('invalid_args', 'give `account_id` or `email`');
      const hits = ctx.store.list('crm', 'contacts', (c) => String(c.email).toLowerCase() === email);
      if (!hits.length) throw new ToolError('not_found', `no contact with email "${email}"; try crm.search_accounts`);
      const ids = [...new Set(hits.map((h) => String(h.account_id)))];
      if (ids.length > 1) {
        const accounts = ids.map((id) => ctx.store.get('crm', 'accounts', id)).filter((a) => a !== undefined);
        return { matches: accounts.map((a) => ({ account_id: a.id, name: a.name, plan: a.plan, status: a.status })), note: 'several accounts have a contact with this email' };
      }
      return accountView(ctx, mustGet(ctx, 'crm', 'accounts', ids[0]!));
    },
  }),
  define({
    name: 'crm.search_accounts',
    system: 'crm',
    risk: 'read',
    description:
      'Search accounts by company name, domain, contact name or contact email; every word of the query must match. ' +
      'Returns every matching account, so near-duplicates (same company entered twice) all show up: compare them ' +
      'before acting on one.',
    input: object({ query: str('Name, domain or email to search for', { minLength: 2, maxLength: 200 }) }, ['query']),
    run(args, ctx) {
      const q = arg(args, 'query');
      const viaContacts = new Set(ctx.store.list('crm', 'contacts', (c) => matches([c.email, c.name], q)).map((c) => String(c.account_id)));
      const accounts = ctx.store.list('crm', 'accounts', (a) => viaContacts.has(a.id) || matches([a.name, a.domain], q));
      return {
        count: accounts.length,
        accounts: accounts.map((a) => ({ id: a.id, name: a.name, domain: a.domain, plan: a.plan, status: a.status, contacts: contactsOf(ctx, a.id).map((c) => ({ name: c.name, email: c.email })) })),
      };
    },
  }),
  define({
    name: 'crm.update_plan',
    system: 'crm',
    risk: 'irreversible',
    description:
      "Change an account's subscription plan. Billing changes immediately and cannot be taken back; needs approval. " +
      'Only for the account you are sure is the customer’s (check for duplicates first).',
    input: object(
      {
        account_id: str('Account id, e.g. ACC-1001'),
        plan: str('The new plan', { enum: [...PLANS] }),
        reason: str('Why the plan changes, with the ticket id', { minLength: 1, maxLength: 1000 }),
      },
      ['account_id', 'plan', 'reason'],
    ),
    run(args, ctx) {
      const id = arg(args, 'account_id');
      const plan = arg(args, 'plan');
      if (!(PLANS as readonly string[]).includes(plan)) throw new ToolError('invalid_args', `plan must be one of ${PLANS.join(', ')}`);
      const account = mustGet(ctx, 'crm', 'accounts', id);
      if (account.status === 'cancelled') throw new ToolError('conflict', `account ${id} is cancelled; its plan cannot change`);
      if (account.plan === plan) throw new ToolError('conflict', `account ${id} is already on the ${plan} plan`);
      ctx.store.update('crm', 'accounts', id, { plan, plan_changed_at: stamp(ctx), plan_change_reason: arg(args, 'reason') });
      return { account_id: id, previous_plan: account.plan, plan, status: 'updated' };
    },
  }),
];
