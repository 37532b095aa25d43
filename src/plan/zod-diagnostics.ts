// zod issues → located diagnostics in the `expected X, got Y` form, with "did you mean" for misspelt keys.
import type { z } from 'zod';
import type { PlanDiagnostic } from './schema.js';
import { dotted, locate, type ParsedYaml } from './yaml-file.js';

type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

/** Keys an object schema accepts at `path` (descending through arrays, optionals, defaults and unions). */
export function allowedKeysAt(schema: unknown, path: ReadonlyArray<PropertyKey>): string[] {
  let current: AnySchema[] = [schema as AnySchema];
  const unwrap = (s: AnySchema): AnySchema[] => {
    const def = s._zod.def;
    if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)) return unwrap(def.innerType as AnySchema);
    if (def.type === 'pipe') return unwrap(def.in as AnySchema);
    if (def.type === 'union') return (def.options as AnySchema[]).flatMap(unwrap);
    return [s];
  };
  for (const seg of path) {
    current = current.flatMap(unwrap).flatMap((s): AnySchema[] => {
      const def = s._zod.def;
      if (def.type === 'object' && typeof seg === 'string') {
        const next = (def.shape as Record<string, AnySchema>)[seg];
        return next ? [next] : [];
      }
      if (def.type === 'array' && typeof seg === 'number') return [def.element as AnySchema];
      if (def.type === 'record') return [def.valueType as AnySchema];
      return [];
    });
  }
  return [
    ...new Set(
      current
        .flatMap(unwrap)
        .filter((s) => s._zod.def.type === 'object')
        .flatMap((s) => Object.keys(s._zod.def.shape as object)),
    ),
  ];
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

export function didYouMean(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestScore) [best, bestScore] = [o, d];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  return `${typeof input} ${String(input)}`;
}

function codeAndMessage(issue: z.core.$ZodIssue): { code: string; message: string } {
  const got = describeInput((issue as { input?: unknown }).input);
  switch (issue.code) {
    case 'invalid_type':
      return (issue as { input?: unknown }).input === undefined
        ? { code: 'E_PLAN_REQUIRED', message: `required ${issue.expected} is missing` }
        : { code: 'E_PLAN_TYPE', message: `expected ${issue.expected}, got ${got}` };
    case 'invalid_value':
      return { code: issue.values.length > 1 ? 'E_PLAN_ENUM' : 'E_PLAN_VALUE', message: `expected ${issue.values.map((v) => String(v)).join(' | ')}, got ${got}` };
    case 'too_small':
      return { code: 'E_PLAN_RANGE', message: `expected ${issue.origin === 'array' ? 'at least' : issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''}, got ${got}` };
    case 'too_big':
      return { code: 'E_PLAN_RANGE', message: `expected ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}${issue.origin === 'string' ? ' character(s)' : issue.origin === 'array' ? ' item(s)' : ''}, got ${got}` };
    case 'invalid_format':
      return { code: 'E_PLAN_FORMAT', message: `${issue.message}; got ${got}` };
    case 'invalid_union':
      return { code: 'E_PLAN_TYPE', message: `${issue.message === 'Invalid input' ? 'does not match any allowed form' : issue.message}; got ${got}` };
    default:
      return { code: 'E_PLAN_INVALID', message: `${issue.message}${got !== 'nothing' ? `; got ${got}` : ''}` };
  }
}

export function zodDiagnostics(file: string, parsed: ParsedYaml, schema: unknown, error: z.ZodError): PlanDiagnostic[] {
  const out: PlanDiagnostic[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const at = locate(parsed, [...issue.path, key], true);
        const guess = didYouMean(key, allowed);
        out.push({
          file,
          ...at,
          path: dotted([...issue.path, key]),
          code: 'E_PLAN_UNKNOWN_KEY',
          message: `unknown key "${key}"`,
          hint: guess ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`,
          severity: 'error',
        });
      }
      continue;
    }
    const { code, message } = codeAndMessage(issue);
    out.push({ file, ...locate(parsed, issue.path), path: dotted(issue.path), code, message, severity: 'error' });
  }
  return out;
}
