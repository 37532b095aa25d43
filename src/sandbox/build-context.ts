// A user's Docker build context (the plan's `agent.build` directory) as tar entries: every regular file under the
// directory. Symlinks are followed only while they stay inside it — a build must not read the host beyond what the
// plan names — and a symlink loop or a dangling link is refused rather than walked or silently dropped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PlanError } from '../errors.js';
import type { TarEntry } from './tar.js';

export async function buildContextEntries(dir: string): Promise<TarEntry[]> {
  const fail = (msg: string, code: string) => new PlanError(`build context ${dir}: ${msg}`, { code });
  const root = await fs.realpath(dir).catch(() => {
    throw fail('is not a directory that exists', 'E_PLAN_BUILD_MISSING');
  });
  if (!(await fs.stat(root)).isDirectory()) throw fail('is not a directory', 'E_PLAN_BUILD_MISSING');
  const entries: TarEntry[] = [];
  const walk = async (rel: string, ancestors: Set<string>): Promise<void> => {
    const names = (await fs.readdir(path.join(root, rel))).sort(); // sorted: the same tree gives the same context
    for (const name of names) {
      const relPath = path.posix.join(rel, name);
      const real = await fs.realpath(path.join(root, relPath)).catch(() => {
        throw fail(`${relPath} is a dangling symlink`, 'E_PLAN_BUILD_SYMLINK');
      });
      if (real !== root && !real.startsWith(root + path.sep)) throw fail(`${relPath} points outside the context (${real})`, 'E_PLAN_BUILD_SYMLINK');
      const stat = await fs.stat(real);
      if (stat.isDirectory()) {
        if (ancestors.has(real)) throw fail(`${relPath} is a symlink loop`, 'E_PLAN_BUILD_SYMLINK');
        await walk(relPath, new Set([...ancestors, real]));
      } else if (stat.isFile()) {
        entries.push({ name: relPath, content: await fs.readFile(real), mode: stat.mode & 0o777 });
      }
    }
  };
  await walk('', new Set([root]));
  if (!entries.some((e) => e.name === 'Dockerfile')) throw fail('has no Dockerfile', 'E_PLAN_BUILD_MISSING');
  return entries;
}
