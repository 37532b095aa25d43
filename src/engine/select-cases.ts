// Which cases a command runs: all of the plan's eval set, filtered by id glob, tag and shard. Pure.
import type { EvalCase } from '../plan/case-schema.js';
import { UsageError } from '../errors.js';

export interface CaseFilter {
  ids?: string[];
  globs?: string[];
  tags?: string[];
  shard?: string;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

export function parseShard(shard: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(shard);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n, e.g. 2/4; got "${shard}"`);
  }
  return { index, count };
}

export function selectCases(all: EvalCase[], filter: CaseFilter): EvalCase[] {
  let cases = [...all].sort((a, b) => a.id.localeCompare(b.id));
  if (filter.ids?.length) {
    const known = new Set(cases.map((c) => c.id));
    const missing = filter.ids.filter((id) => !known.has(id));
    if (missing.length) {
      const hint = cases.slice(0, 8).map((c) => c.id).join(', ');
      throw new UsageError(`no eval case with id ${missing.map((m) => `"${m}"`).join(', ')}`, {
        code: 'E_UNKNOWN_CASE',
        details: [`known cases include: ${hint}${cases.length > 8 ? ', …' : ''}`],
      });
    }
    cases = cases.filter((c) => filter.ids!.includes(c.id));
  }
  if (filter.globs?.length) {
    const res = filter.globs.map(globToRegExp);
    cases = cases.filter((c) => res.some((r) => r.test(c.id)));
  }
  if (filter.tags?.length) {
    cases = cases.filter((c) => filter.tags!.some((t) => c.tags.includes(t) || c.category === t));
  }
  if (filter.shard) {
    const { index, count } = parseShard(filter.shard);
    cases = cases.filter((_, i) => i % count === index - 1);
  }
  return cases;
}
