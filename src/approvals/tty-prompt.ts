// The person at the terminal decides an approval: the call's context (tool, risk, arguments, why the plan asks,
// what the agent said, the records it would touch and their current values), then approve / deny / deny with a
// message. One question at a time, however many cases run.
import { createInterface } from 'node:readline/promises';
import type { ApprovalAnswer, ApprovalRequest } from '../gateway/approver.js';
import { canonicalJson } from '../tools/fixture-store.js';
import { affectedRecords } from './affected.js';

// Agent-supplied text reaches a person's terminal: no newlines or escape sequences that could forge a line.
export const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '⏎' : '·'));
const clip = (s: string, n = 400) => printable(s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function describeRequest(req: ApprovalRequest): string[] {
  const lines = [
    `Approval needed: ${req.tool} [${req.risk}] — case ${req.caseId}, call ${req.callId}, rule ${req.ruleRef}`,
    `  args: ${clip(canonicalJson(req.args))}`,
  ];
  if (req.rule.reason) lines.push(`  why the plan asks: ${req.rule.reason}`);
  if (req.reason) lines.push(`  the agent's reason: ${clip(req.reason)}`);
  for (const r of affectedRecords(req.currentState(), req.args)) lines.push(`  affects ${r.record} (now): ${clip(canonicalJson(r.current))}`);
  return lines;
}

export function ttyAsker(by: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): (req: ApprovalRequest) => Promise<ApprovalAnswer> {
  let chain: Promise<unknown> = Promise.resolve();
  const ask = async (req: ApprovalRequest): Promise<ApprovalAnswer> => {
    const rl = createInterface({ input, output, terminal: false });
    try {
      output.write('\n' + describeRequest(req).join('\n') + '\n');
      for (;;) {
        const a = (await rl.question(`  [a] approve  [d] deny  [m] deny with a message  (deciding as ${by}) > `)).trim().toLowerCase();
        if (a === 'a' || a === 'approve') return { decision: 'approve', by, source: 'tty' };
        if (a === 'd' || a === 'deny') return { decision: 'deny', by, source: 'tty' };
        if (a === 'm') {
          const msg = (await rl.question('  message for the agent > ')).trim();
          return { decision: 'deny', by, source: 'tty', ...(msg ? { reason: msg } : {}) };
        }
        output.write('  answer a, d or m\n');
      }
    } finally {
      rl.close();
    }
  };
  return (req) => {
    const next = chain.then(() => ask(req));
    chain = next.catch(() => undefined);
    return next;
  };
}
