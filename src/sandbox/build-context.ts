// A user's Docker build context as a tar stream: every regular file under the directory. Symlinks that point
// outside the context are refused — a build must not read the host beyond what the plan names.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pack as tarPack } from 'tar-stream';
import { PlanError } from '../errors.js';

export async function buildContextTar(dir: string): Promise<NodeJS.ReadableStream> {
  const root = await fs.realpath(dir);
  const pack = tarPack();
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
      const relPath = path.join(rel, entry.name);
      const abs = path.join(root, relPath);
      const real = await fs.realpath(abs);
      if (real !== root && !real.startsWith(root + path.sep)) {
        throw new PlanError(`build context ${dir}: ${relPath} points outside the context (${real})`, { code: 'E_PLAN_BUILD_SYMLINK' });
      }
      const stat = await fs.stat(real);
      if (stat.isDirectory()) await walk(relPath);
      else if (stat.isFile()) pack.entry({ name: relPath, mode: stat.mode & 0o777 }, await fs.readFile(real));
    }
  };
  await walk('');
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream; // tar-stream's Pack is a streamx Readable
}
