import { ToolError } from '../types.js';
import { arg, define, mustGet, newId, num, object, stamp, str } from './define.js';

export const billingTools = [
  define({
    name: 'billing.get_invoices',
    system: 'billing',
    risk: 'read',
    description: "List an account's invoices with amount, status and how much is still refundable.",
    input: object({ account_id: str('Account id') }, ['account_id']),
    run(args, ctx) {
      const id = arg(args, 'account_id');
      return { invoices: ctx.store.list('billing', 'invoices', (i) => i.account_id === id) };
    },
  }),
  define({
    name: 'billing.refund',
    system: 'billing',
    risk: 'irreversible',
    description: 'Refund money on a paid invoice to the original payment method. Irreversible; needs approval.',
    input: object({ invoice_id: str('Invoice id'), amount: num('Amount to refund', { minimum: 0.01 }), reason: str('Reason') }, ['invoice_id', 'amount', 'reason']),
    run(args, ctx) {
      const id = arg(args, 'invoice_id');
      const inv = mustGet(ctx, 'billing', 'invoices', id);
      const amount = Number(args.amount);
      const refundable = Number(inv.amount) - Number(inv.refunded_amount ?? 0);
      if (inv.status !== 'paid') throw new ToolError('conflict', `invoice ${id} is ${String(inv.status)}, only paid invoices can be refunded`);
      if (amount > refundable + 1e-9) throw new ToolError('conflict', `only ${refundable.toFixed(2)} is refundable on ${id}`);
      const refundId = newId('REF', ctx);
      ctx.store.create('billing', 'refunds', { id: refundId, invoice_id: id, amount, reason: arg(args, 'reason'), at: stamp(ctx) });
      ctx.store.update('billing', 'invoices', id, { refunded_amount: Number(inv.refunded_amount ?? 0) + amount });
      return { refund_id: refundId, invoice_id: id, amount, status: 'refunded' };
    },
  }),
];
