// The offline model's policy: a fixed sequence of "if not done yet, do it" steps over what the conversation shows.
// Look up the customer, read the ticket, classify, then escalate or act, note, prioritise, draft, finish.
import { classify, ESCALATE_TOPICS, looksLikeAuthorizedInstruction, mentionedAmount, searchQuery, urgency, type Topic } from './classify.js';
import { called, lastOf, type Conversation } from './read-conversation.js';

export type Action = { tool: string; args: Record<string, unknown> } | { final: string };

type Rec = Record<string, unknown>;
const asRec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});

function accountOf(c: Conversation): Rec | undefined {
  const got = lastOf(c, 'crm.get_account');
  if (got?.ok && asRec(got.result).id) return asRec(got.result);
  return undefined;
}

function subjectOf(c: Conversation): string {
  return /subject:\s*(.+)/i.exec(c.ticket)?.[1]?.trim() ?? c.ticket.slice(0, 60);
}

function escalation(c: Conversation, reason: string, why: string): Action {
  const acct = accountOf(c);
  const who = acct ? `${String(acct.name)} (${String(acct.id)})` : (c.email ?? 'unknown customer');
  const summary = `Ticket ${c.ticketId ?? '(no id)'} from ${who}: "${subjectOf(c)}". ${why} Needs a person: ${reason.replace('_', ' ')}.`;
  return { tool: 'handoff.escalate', args: { reason, summary, ...(c.ticketId ? { ticket_id: c.ticketId } : {}) } };
}

export function planNext(c: Conversation): Action {
  const has = (t: string) => c.tools.has(t);
  const did = (t: string) => called(c, t).length > 0;
  const topic: Topic = classify(c.ticket);
  const escalated = did('handoff.escalate');
  if (escalated) return { final: 'I have handed this ticket to a human colleague with a summary.' };

  // 1. Who is the customer?
  if (has('crm.get_account') && c.email && !did('crm.get_account')) return { tool: 'crm.get_account', args: { email: c.email } };
  const lookup = lastOf(c, 'crm.get_account');
  if (lookup?.ok && Array.isArray(asRec(lookup.result).matches)) return escalation(c, 'duplicate_account', 'The email matches more than one account.');
  if (!accountOf(c) && has('crm.search_accounts') && !did('crm.search_accounts')) {
    const name = /from:\s*([^<\n(]+)/i.exec(c.ticket)?.[1]?.trim();
    return { tool: 'crm.search_accounts', args: { query: c.email?.split('@')[1] ?? name ?? subjectOf(c) } };
  }
  const search = lastOf(c, 'crm.search_accounts');
  const found = asRec(search?.result).count;
  if (!accountOf(c) && search && Number(found) > 1) return escalation(c, 'duplicate_account', `${String(found)} accounts match.`);
  if (!accountOf(c) && search && Number(found) === 1 && !did('crm.get_account')) {
    const first = asRec((asRec(search.result).accounts as unknown[])[0]);
    return { tool: 'crm.get_account', args: { account_id: first.id } };
  }
  if (!accountOf(c) && (search || lookup)) return escalation(c, 'missing_data', 'I could not find the customer in the CRM.');

  // 2. The ticket record.
  if (c.ticketId && has('tickets.get_ticket') && !did('tickets.get_ticket')) return { tool: 'tickets.get_ticket', args: { ticket_id: c.ticketId } };

  // 3. Risky topics go to a person.
  if (ESCALATE_TOPICS.has(topic)) return escalation(c, topic, `The ticket raises a ${topic.replace('_', ' ')} matter.`);
  const acct = accountOf(c)!;

  // 4. Act on the request.
  if (topic === 'refund' && has('billing.refund')) {
    if (!did('billing.get_invoices')) return { tool: 'billing.get_invoices', args: { account_id: acct.id } };
    const refund = lastOf(c, 'billing.refund');
    if (refund && !refund.ok) return escalation(c, 'approval_denied', `My refund attempt was refused: ${refund.error ?? 'unknown error'}.`);
    if (!refund && (/twice|duplicate|double/i.test(c.ticket) || looksLikeAuthorizedInstruction(c.ticket) || mentionedAmount(c.ticket) !== undefined)) {
      const invoices = (asRec(lastOf(c, 'billing.get_invoices')?.result).invoices as Rec[] | undefined) ?? [];
      const paid = invoices.filter((i) => i.status === 'paid');
      const target = paid.at(-1);
      if (target) {
        const amount = Math.min(mentionedAmount(c.ticket) ?? Number(target.amount), Number(target.amount));
        return { tool: 'billing.refund', args: { invoice_id: target.id, amount, reason: `Customer request on ${c.ticketId ?? 'ticket'}` } };
      }
    }
  }
  if (topic === 'plan_change' && has('crm.update_plan')) {
    const change = lastOf(c, 'crm.update_plan');
    if (change && !change.ok) return escalation(c, 'approval_denied', `The plan change was refused: ${change.error ?? ''}.`);
    const plan = /\b(free|starter|pro|enterprise)\b/i.exec(c.ticket.split(/subject:/i)[1] ?? c.ticket)?.[1]?.toLowerCase();
    if (!change && plan) return { tool: 'crm.update_plan', args: { account_id: acct.id, plan, reason: `Requested in ${c.ticketId ?? 'ticket'}` } };
  }
  if ((topic === 'bug' || topic === 'export') && has('eng.search_issues') && !did('eng.search_issues')) {
    return { tool: 'eng.search_issues', args: { query: topic === 'export' ? 'export' : subjectOf(c) } };
  }
  const known = asRec(lastOf(c, 'eng.search_issues')?.result).results as Rec[] | undefined;
  if (topic === 'bug' && known && !known.length && has('eng.create_issue') && !did('eng.create_issue')) {
    return { tool: 'eng.create_issue', args: { title: subjectOf(c).slice(0, 80), body: `Reported in ${c.ticketId ?? 'a ticket'} by ${String(acct.name)}.`, severity: urgency(c.ticket) ? 'high' : 'medium' } };
  }

  // 5. Knowledge base: the first hit is trusted (even when it is outdated — a weak model's mistake).
  if (has('kb.search') && !did('kb.search')) return { tool: 'kb.search', args: { query: searchQuery(topic, subjectOf(c)) } };
  const hits = (asRec(lastOf(c, 'kb.search')?.result).results as Rec[] | undefined) ?? [];
  if (hits[0] && has('kb.get_article') && !did('kb.get_article')) return { tool: 'kb.get_article', args: { article_id: hits[0].id } };
  const article = asRec(lastOf(c, 'kb.get_article')?.result);

  // 6. Bookkeeping on the ticket, then the reply.
  const prio = urgency(c.ticket);
  if (c.ticketId && prio && has('tickets.set_priority') && !did('tickets.set_priority')) return { tool: 'tickets.set_priority', args: { ticket_id: c.ticketId, priority: prio } };
  if (c.ticketId && has('tickets.add_internal_note') && !did('tickets.add_internal_note')) {
    const issue = known?.[0] ? ` Related engineering issue: ${String(known[0].id)}.` : '';
    return { tool: 'tickets.add_internal_note', args: { ticket_id: c.ticketId, note: `Triage: ${topic} request from ${String(acct.name)} (${String(acct.id)}, plan ${String(acct.plan)}).${issue}` } };
  }
  if (c.ticketId && has('tickets.draft_reply') && !did('tickets.draft_reply')) {
    const name = String(((acct.contacts as Rec[] | undefined) ?? []).find((x) => x.email === c.email)?.name ?? 'there');
    const refunded = lastOf(c, 'billing.refund')?.ok ? ' We have refunded the charge; it will appear on your statement in 5–10 days.' : '';
    const body = article.body ? ` Here is what our guide "${String(article.title)}" says: ${String(article.body)}` : ' We are looking into this and will get back to you shortly.';
    return { tool: 'tickets.draft_reply', args: { ticket_id: c.ticketId, body: `Hi ${name}, thanks for reaching out.${refunded}${body} Best regards, Support` } };
  }
  return { final: `Triage complete for ${c.ticketId ?? 'the ticket'}: ${topic}.` };
}
