// The approval prompt on a real terminal: `agentrt run` under a pseudo-terminal (util-linux `script`) stops at the
// call that needs a person, shows its context, takes the answer typed there, and records who decided.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { writePlanVariant, stripAnsi } from '../test-helpers/cli.js';
import { repoRoot } from '../test-helpers/fixtures.js';
import { requireDocker } from '../sandbox/test-docker.js';
import type { TraceEvent } from '../trace/events.js';

const TICKET = `id: T-3001
channel: email
from: {name: Sam Okafor, email: sam@copperleaf.example}
subject: Charged twice this month
body: We were charged twice for November ($49 each, INV-5003 and INV-5004). Please refund the duplicate.
`;

describe('approval prompt on a terminal (real engine, pseudo-terminal)', () => {
  it('shows the call, its risk and the record it would touch, and records the typed decision with its author', async (ctx) => {
    await requireDocker(ctx);
    const { file, dir, runsDir } = await writePlanVariant((p) => ({ ...p, gates: [] }));
    const ticket = path.join(dir, 'refund.yaml');
    writeFileSync(ticket, TICKET);
    const cmd = ['node', path.join(repoRoot, 'bin/agentrt.js'), 'run', file, '--ticket', ticket, '--by', 'billing-lead'].map((a) => `'${a}'`).join(' ');
    // `script` gives the command a real TTY on stdin and stdout; CI must be unset for agentrt to treat it as a person.
    const child = execa('script', ['-qfec', cmd, '/dev/null'], { cwd: repoRoot, env: { CI: '', NO_COLOR: '1', TERM: 'dumb' }, reject: false });
    let screen = '';
    const answered = new Promise<void>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => {
        screen += d.toString();
        if (/\[a\] approve/.test(screen) && !screen.includes('<<answered>>')) {
          screen += '<<answered>>';
          child.stdin!.write('a\r');
          resolve();
        }
      });
    });
    await Promise.race([answered, child]);
    const done = await child;
    const out = stripAnsi(screen);
    expect(done.exitCode, out).toBe(0);
    expect(out).toContain('Approval needed: billing.refund [irreversible]');
    expect(out).toContain('why the plan asks: Every refund is money out; billing approves.');
    expect(out).toMatch(/affects billing\.invoices\.INV-5004 \(now\): \{.*"status":"paid"/);
    expect(out).not.toContain('5500 0000 0000 0004'); // the excluded card number is not shown to the approver
    const [runId] = readdirSync(runsDir);
    const events = readFileSync(path.join(runsDir, runId!, 'cases', 'adhoc-refund.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
    expect(events.find((e) => e.type === 'approval.decision')).toMatchObject({ decision: 'approve', by: 'billing-lead', source: 'tty' });
    expect(events.at(-1)).toMatchObject({ type: 'case.end', stop: 'completed' });
  }, 120_000);
});
