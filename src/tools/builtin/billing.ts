// Billing: invoices and refunds. Amounts are handled in cents so "49.99 of 49.99" is exactly refundable.
import { ToolError, type FixtureRecord } from '../types.js';
import { arg, define, mustGet, newId, num, object, stamp, str } from './define.js';

const cents = (v: unknown) => Math.round(Number(v ?? 0) * 100);
const REFUNDABLE_STATUSES = new Set(['paid', 'partially_refunded']);

/** What can still go back to the customer: nothing on an unpaid, disputed or fully refunded invoice. */
export function refundableCents(inv: FixtureRecord): number {
  return REFUNDABLE_STATUSES.has(String(inv.status)) ? Math.max(0, cents(inv.amount) - cents(inv.refunded_amount)) : 0;
}

export const billingTools = [
  define({
    name: 'billing.get_invoices',
    system: 'billing',
    risk: 'read',
    description:
      "List an account's invoices (oldest first) with amount, currency, status (open, paid, partially_refunded, " +
      'refunded, disputed), issued date, amount already refunded and `refundable` (what could still be refunded), ' +
      'plus the refunds made on them.',
    input: object({ account_id: str('Account id, e.g. ACC-1001') }, ['account_id']),
    run(args, ctx) {
      const id = arg(args, 'account_id');
      // Billing is keyed by CRM account: an unknown account is a lookup mistake, not "no invoices".
      mustGet(ctx, 'crm', 'accounts', id);
      const invoices = ctx.store.list('billing', 'invoices', (i) => i.account_id === id);
      const ids = new Set(invoices.map((i) => i.id));
      return {
        account_id: id,
        invoices: invoices.map((i) => ({ ...i, refundable: refundableCents(i) / 100 })),
        refunds: ctx.store.list('billing', 'refunds', (r) => ids.has(String(r.invoice_id))),
      };
    },
  }),
  define({
    name: 'billing.refund',
    system: 'billing',
    risk: 'irreversible',
    description:
      'Refund money on a paid invoice to the original payment method. Irreversible; needs approval. Refuses more ' +
      'than the refundable amount. Check the current refund policy before proposing one.',
    input: object(
      {
        invoice_id: str('Invoice id, e.g. INV-5001'),
        amount: num('Amount to refund, in the invoice currency', { minimum: 0.01, maximum: 1_000_000 }),
        reason: str('Why, with the ticket id', { minLength: 1, maxLength: 1000 }),
      },
      ['invoice_id', 'amount', 'reason'],
    ),
    run(args, ctx) {
      const id = arg(args, 'invoice_id');
      const reason = arg(args, 'reason');
      const inv = mustGet(ctx, 'billing', 'invoices', id);
      const amount = cents(args.amount);
      if (!Number.isFinite(amount) || amount <= 0) throw new ToolError('invalid_args', '`amount` must be a positive number');
      if (!REFUNDABLE_STATUSES.has(String(inv.status))) throw new ToolError('conflict', `invoice ${id} is ${String(inv.status)}; only paid invoices can be refunded`);
      const left = refundableCents(inv);
      if (amount > left) throw new ToolError('conflict', `only ${(left / 100).toFixed(2)} ${String(inv.currency ?? '')} is refundable on ${id}`.replace('  ', ' '));
      // Every check is done before the first write, so a refusal leaves no half-made refund behind.
      const refund = { id: newId('REF', ctx), invoice_id: id, account_id: inv.account_id, amount: amount / 100, currency: inv.currency ?? 'USD', reason, at: stamp(ctx) };
      const refunded = cents(inv.refunded_amount) + amount;
      ctx.store.create('billing', 'refunds', refund);
      ctx.store.update('billing', 'invoices', id, { refunded_amount: refunded / 100, status: refunded >= cents(inv.amount) ? 'refunded' : 'partially_refunded' });
      return { refund_id: refund.id, invoice_id: id, amount: refund.amount, refundable_left: (left - amount) / 100, status: 'refunded' };
    },
  }),
];
