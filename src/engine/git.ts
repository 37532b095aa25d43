// The git sha of the working directory for the run header, read from .git directly: no process spawn per run,
// and no failure outside a checkout (null then).
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function gitSha(start: string): Promise<string | null> {
  let dir = path.resolve(start);
  for (;;) {
    const gitDir = path.join(dir, '.git');
    try {
      const head = (await fs.readFile(path.join(gitDir, 'HEAD'), 'utf8')).trim();
      if (!head.startsWith('ref: ')) return head;
      const ref = head.slice(5);
      try {
        return (await fs.readFile(path.join(gitDir, ref), 'utf8')).trim();
      } catch {
        const packed = await fs.readFile(path.join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
        const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
        return line ? line.split(' ')[0]! : null; // a repo with no commits yet has no sha
      }
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }
}
