import { randomBytes } from 'node:crypto';

/** Sortable and unique: `20261125-021500-a1b2`. */
export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** File-name key of a case attempt: `<id>` for the first attempt, `<id>~<n>` for repeats. */
export function caseKey(caseId: string, attempt: number): string {
  return attempt <= 1 ? caseId : `${caseId}~${attempt}`;
}
