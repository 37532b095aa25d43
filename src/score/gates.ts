// Gates turn scores into a CI verdict. `--gate` overrides replace plan gates on the same metric and add new ones.
import { GATE_METRICS, GATE_PATTERN } from '../plan/schema.js';
import { UsageError } from '../errors.js';
import type { RunScores } from './aggregate.js';

export interface Gate {
  gate: string;
  metric: string;
  op: '>=' | '<=' | '==' | '>' | '<';
  threshold: number;
}

export interface GateResult extends Gate {
  actual: number | null;
  passed: boolean;
  reason?: string;
}

export function parseGate(text: string): Gate {
  const m = GATE_PATTERN.exec(text);
  if (!m) throw new UsageError(`not a gate: "${text}"`, { details: ['a gate is `<metric> <op> <number>`, e.g. "completion >= 0.8"'] });
  const metric = m[1]!;
  if (!(GATE_METRICS as readonly string[]).includes(metric) && !/^pass\^\d+$/.test(metric)) {
    throw new UsageError(`unknown gate metric "${metric}"`, { details: [`known: ${GATE_METRICS.join(', ')}, pass^k`] });
  }
  return { gate: text.trim(), metric, op: m[2] as Gate['op'], threshold: Number(m[3]) };
}

export function metricValue(s: RunScores, metric: string): number | null {
  const pk = /^pass\^(\d+)$/.exec(metric);
  if (pk) return s.pass_k[pk[1]!] ?? null;
  const [group, name] = metric.split('.') as [string, string | undefined];
  if (group === 'completion') return s.completion;
  const section = (s as unknown as Record<string, Record<string, number | null>>)[group];
  const v = name ? section?.[name] : undefined;
  return typeof v === 'number' ? v : null;
}

function compare(actual: number, op: Gate['op'], t: number): boolean {
  const eps = 1e-9;
  switch (op) {
    case '>=': return actual >= t - eps;
    case '<=': return actual <= t + eps;
    case '>': return actual > t;
    case '<': return actual < t;
    case '==': return Math.abs(actual - t) <= eps;
  }
}

/** With `scores` null, only parses (so bad --gate flags fail before anything runs). */
export function evaluateGates(planGates: string[], overrides: string[], scores: RunScores | null): { passed: boolean; results: GateResult[] } {
  const overriding = overrides.map(parseGate);
  const replaced = new Set(overriding.map((g) => g.metric));
  const gates = [...planGates.map(parseGate).filter((g) => !replaced.has(g.metric)), ...overriding];
  const results: GateResult[] = gates.map((g) => {
    if (!scores) return { ...g, actual: null, passed: true };
    const actual = metricValue(scores, g.metric);
    if (actual === null) return { ...g, actual, passed: false, reason: 'no value (e.g. no completed case, or nothing to measure)' };
    return { ...g, actual: Math.round(actual * 1e6) / 1e6, passed: compare(actual, g.op, g.threshold) };
  });
  return { passed: results.every((r) => r.passed), results };
}
