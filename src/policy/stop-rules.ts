// Stop rules: conditions that force an escalation (or fail/pause), decided in code from the plan, not the prompt.
import type { RuntimePlan, StopRule } from '../plan/schema.js';

export function ticketStopRules(plan: RuntimePlan, ticketText: string): Array<{ rule: StopRule; phrase: string }> {
  const text = ticketText.toLowerCase();
  const out: Array<{ rule: StopRule; phrase: string }> = [];
  for (const rule of plan.stop_rules) {
    if (rule.trigger !== 'ticket_matches') continue;
    const phrase = rule.match?.find((m) => text.includes(m.toLowerCase()));
    if (phrase) out.push({ rule, phrase });
  }
  return out;
}

export function ruleFor(plan: RuntimePlan, trigger: StopRule['trigger'], tool?: string): StopRule | undefined {
  return plan.stop_rules.find((r) => r.trigger === trigger && (!r.tool || r.tool === tool));
}
