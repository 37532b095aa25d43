// `agentrt validate <plan>`: compiler-style diagnostics for the plan and, when it has one, its eval set (every case
// checked against the plan's tools, systems and records), exit 2 on errors. No side effect of any kind.
import type { Io } from '../io.js';
import { ExitCode } from '../errors.js';
import { checkPlan } from '../plan/load.js';
import { formatDiagnostic } from '../plan/yaml-file.js';
import { checkEvalSet } from '../engine/load-cases.js';

export async function validate(opts: { plan: string; json?: boolean }, io: Io): Promise<number> {
  const { plan, diagnostics } = await checkPlan(opts.plan);
  // The eval set is only checked against a valid plan: against a broken one every reference would look wrong.
  const evals = plan?.plan.evals ? await checkEvalSet(plan) : undefined;
  if (evals) diagnostics.push(...evals.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (opts.json) {
    io.out(JSON.stringify({ ok: errors.length === 0, file: opts.plan, ...(evals ? { cases: evals.cases.length } : {}), diagnostics }, null, 2) + '\n');
    return errors.length ? ExitCode.usage : ExitCode.ok;
  }
  for (const d of [...errors, ...warnings]) io.err(formatDiagnostic(d) + '\n');
  if (errors.length || !plan) {
    io.err(`✗ ${opts.plan}: ${errors.length} error(s), ${warnings.length} warning(s)\n`);
    return ExitCode.usage;
  }
  const set = evals ? `, ${evals.cases.length} eval case(s)` : '';
  io.out(`✓ ${opts.plan} is valid (${plan.plan.tools.length} tools, ${plan.plan.approvals.length} approval rules${set}, ${warnings.length} warning(s))\n`);
  return ExitCode.ok;
}
