// Approval conditions such as `amount > 100`, `plan in ["pro","enterprise"]`, `reason contains "fraud"`.
import { CONDITION_PATTERN } from '../plan/schema.js';

export interface Condition {
  path: string;
  op: '==' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'contains';
  value: unknown;
}

export function parseCondition(text: string): Condition {
  const m = CONDITION_PATTERN.exec(text);
  if (!m) throw new Error(`not a condition: ${text}`);
  return { path: m[1]!, op: m[2] as Condition['op'], value: JSON.parse(m[3]!) };
}

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
}

export function holds(c: Condition, args: unknown): boolean {
  const v = get(args, c.path);
  const norm = (x: unknown) => (typeof x === 'string' ? x.toLowerCase() : x);
  switch (c.op) {
    case '==':
      return norm(v) === norm(c.value);
    case '!=':
      return norm(v) !== norm(c.value);
    case '>':
      return Number(v) > Number(c.value);
    case '>=':
      return Number(v) >= Number(c.value);
    case '<':
      return Number(v) < Number(c.value);
    case '<=':
      return Number(v) <= Number(c.value);
    case 'in':
      return Array.isArray(c.value) && c.value.map(norm).includes(norm(v));
    case 'contains':
      return typeof v === 'string' ? v.toLowerCase().includes(String(c.value).toLowerCase()) : Array.isArray(v) && v.map(norm).includes(norm(c.value));
  }
}

/** All conditions hold (an empty list always holds). */
export function allHold(conditions: string[], args: unknown): boolean {
  return conditions.every((c) => holds(parseCondition(c), args));
}
