// `agentrt validate <plan>`: compiler-style diagnostics, exit 2 on errors. No side effect of any kind.
import type { Io } from '../io.js';
import { ExitCode } from '../errors.js';
import { checkPlan } from '../plan/load.js';
import { formatDiagnostic } from '../plan/yaml-file.js';

export async function validate(opts: { plan: string; json?: boolean }, io: Io): Promise<number> {
  const { plan, diagnostics } = await checkPlan(opts.plan);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (opts.json) {
    io.out(JSON.stringify({ ok: errors.length === 0, file: opts.plan, diagnostics }, null, 2) + '\n');
    return errors.length ? ExitCode.usage : ExitCode.ok;
  }
  for (const d of [...errors, ...warnings]) io.err(formatDiagnostic(d) + '\n');
  if (errors.length || !plan) {
    io.err(`✗ ${opts.plan}: ${errors.length} error(s), ${warnings.length} warning(s)\n`);
    return ExitCode.usage;
  }
  io.out(`✓ ${opts.plan} is valid (${plan.plan.tools.length} tools, ${plan.plan.approvals.length} approval rules, ${warnings.length} warning(s))\n`);
  return ExitCode.ok;
}
