// The plan's `logging.redact` patterns, compiled once. The loader has already checked they compile.
export function compileRedactions(patterns: string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p, 'g'));
}
