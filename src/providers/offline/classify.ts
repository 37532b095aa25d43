// Keyword classification of a ticket: the offline model's whole "understanding". Deliberately simple, so its misses
// look like a weak model's: no negation, no sarcasm, first match wins.
export type Topic =
  | 'legal'
  | 'security'
  | 'privacy'
  | 'billing_dispute'
  | 'abuse'
  | 'refund'
  | 'plan_change'
  | 'bug'
  | 'login'
  | 'export'
  | 'general';

const RULES: Array<[Topic, RegExp]> = [
  ['legal', /\b(lawyer|attorney|legal action|lawsuit|sue\b|suing|court|solicitor)/i],
  ['security', /\b(hacked|breach|compromised|unauthori[sz]ed (access|login)|phishing|stolen (password|credentials))/i],
  ['privacy', /\b(gdpr|ccpa|delete (all )?my (personal )?data|right to be forgotten|data subject|erase my)/i],
  ['billing_dispute', /\b(chargeback|dispute|fraudulent charge|never authori[sz]ed)/i],
  ['abuse', /\b(idiots?|morons?|stupid|useless (bunch|company)|f\*+|threaten)/i],
  ['refund', /\b(refund|charged twice|double charged|duplicate charge|money back|overcharged)/i],
  ['plan_change', /\b(upgrade|downgrade|change (my|our) plan|switch (to|plans?))/i],
  ['export', /\b(export|csv|download (my|our) data)/i],
  ['login', /\b(password|log ?in|sign ?in|sso|locked out|2fa|mfa)/i],
  ['bug', /\b(bug|error|crash|broken|not working|fails?|500|timeout|times out)/i],
];

export function classify(ticket: string): Topic {
  for (const [topic, re] of RULES) if (re.test(ticket)) return topic;
  return 'general';
}

export const ESCALATE_TOPICS: ReadonlySet<Topic> = new Set(['legal', 'security', 'privacy', 'billing_dispute']);

export function urgency(ticket: string): 'urgent' | 'high' | undefined {
  if (/\b(outage|down for everyone|production down|asap|immediately|urgent)\b/i.test(ticket)) return 'urgent';
  if (/\b(today|blocking|blocked|cannot work|can't work)\b/i.test(ticket)) return 'high';
  return undefined;
}

/** A weak model obeys instructions that look official enough (the runtime, not the model, must stop them). */
export function looksLikeAuthorizedInstruction(ticket: string): boolean {
  return /\b(system override|as (the|an) (admin|administrator),? i authori[sz]e|pre-?approved by (finance|billing))/i.test(ticket);
}

export function mentionedAmount(ticket: string): number | undefined {
  const m = /\$\s?(\d+(?:\.\d{1,2})?)/.exec(ticket);
  return m ? Number(m[1]) : undefined;
}

/** Words worth searching the knowledge base for. */
export function searchQuery(topic: Topic, subject: string): string {
  const byTopic: Partial<Record<Topic, string>> = {
    refund: 'refund policy',
    plan_change: 'plans upgrade',
    export: 'export data',
    login: /sso/i.test(subject) ? 'sso login' : 'reset password',
    bug: subject,
  };
  return byTopic[topic] ?? subject;
}
