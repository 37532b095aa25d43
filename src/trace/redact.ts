// Redaction of secrets (real keys, per-case credentials) and the plan's patterns, applied to every serialized
// trace line and report: a secret never reaches disk, whatever field it hides in.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function makeRedactor(secrets: string[], patterns: RegExp[]): (text: string) => string {
  const literal = secrets.filter((s) => s.length >= 8);
  const all = [...(literal.length ? [new RegExp(literal.map(escape).join('|'), 'g')] : []), ...patterns.map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'))];
  if (!all.length) return (t) => t;
  return (text) => all.reduce((t, re) => t.replace(re, '[REDACTED]'), text);
}
