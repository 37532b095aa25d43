// The JSON Schema subset tool inputs use, checked by the gateway's central gate before any tool runs. Errors are
// written for the model that made the call: the argument path, what was expected, what it sent.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
  items?: Schema;
};

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return 'nothing';
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeOf(value) === type;
}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

/** Returns readable errors like `amount: expected number, got "12"`; an empty list means the value is valid. */
export function validateArgs(schema: Record<string, unknown>, value: unknown, at = ''): string[] {
  const s = schema as Schema;
  const here = at || '(arguments)';
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(value, t))) return [`${here}: expected ${types.join(' or ')}, got ${show(value)}`];
  }
  const errors: string[] = [];
  if (s.enum && !s.enum.some((e) => e === value)) errors.push(`${here}: expected one of ${s.enum.map((e) => JSON.stringify(e)).join(' | ')}, got ${show(value)}`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${here}: must be ≥ ${s.minimum}, got ${value}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${here}: must be ≤ ${s.maximum}, got ${value}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${here}: must be at least ${s.minLength} characters, got ${value.length}`);
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push(`${here}: must be at most ${s.maxLength} characters, got ${value.length}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${here}: must have at least ${s.minItems} items, got ${value.length}`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(`${here}: must have at most ${s.maxItems} items, got ${value.length}`);
    if (s.items) value.forEach((v, i) => errors.push(...validateArgs(s.items as Record<string, unknown>, v, `${here}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of s.required ?? []) if (obj[r] === undefined) errors.push(`${join(at, r)}: required`);
    const allowed = Object.keys(s.properties ?? {});
    for (const [k, v] of Object.entries(obj)) {
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (sub) errors.push(...validateArgs(sub as Record<string, unknown>, v, join(at, k)));
      else if (s.additionalProperties === false) errors.push(`${join(at, k)}: unknown argument (allowed: ${allowed.join(', ') || 'none'})`);
    }
  }
  return errors;
}
