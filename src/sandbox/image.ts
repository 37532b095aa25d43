// The default sandbox image, built offline: FROM scratch with the host's own node binary, its shared libraries,
// the relay and the reference agent. No registry is needed. Tagged by a hash of every byte that goes in, so an
// unchanged build is found and reused instantly.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { packageRoot } from '../paths.js';
import { InfraError } from '../errors.js';

export interface ImageFile {
  path: string; // absolute path inside the image
  content: Buffer;
  mode: number;
}

export const IMAGE_REPO = 'agentrt-sandbox';

/** node and every shared library it loads (from ldd), at the paths the loader expects. */
export function nodeRuntimeFiles(nodePath = process.execPath): ImageFile[] {
  const real = realpathSync(nodePath);
  const files: ImageFile[] = [{ path: '/usr/bin/node', content: readFileSync(real), mode: 0o755 }];
  let ldd: string;
  try {
    ldd = execFileSync('ldd', [real], { encoding: 'utf8' });
  } catch (err) {
    throw new InfraError(`cannot list the libraries of ${real} (ldd failed): ${(err as Error).message}`, { code: 'E_IMAGE_LDD' });
  }
  for (const line of ldd.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (!m) continue;
    const lib = m[1]!;
    files.push({ path: lib, content: readFileSync(realpathSync(lib)), mode: 0o755 });
  }
  return files;
}

export function agentFiles(): ImageFile[] {
  const dist = path.join(packageRoot, 'dist');
  const need = [
    ['sandbox/relay.js', '/agentrt/relay.js'],
    ['agent/reference-agent.js', '/agentrt/reference-agent.js'],
  ] as const;
  return need.map(([rel, dest]) => {
    const file = path.join(dist, rel);
    if (!existsSync(file)) throw new InfraError(`${file} is missing: run \`npm run build\` first`, { code: 'E_IMAGE_BUILD_MISSING' });
    // package.json with type=module next to the scripts: they are ES modules.
    return { path: dest, content: readFileSync(file), mode: 0o644 };
  });
}

export function baseFiles(): ImageFile[] {
  const text = (p: string, s: string, mode = 0o644): ImageFile => ({ path: p, content: Buffer.from(s), mode });
  return [
    text('/etc/passwd', 'root:x:0:0:root:/root:/sbin/nologin\nagent:x:1000:1000:agent:/workspace:/sbin/nologin\n'),
    text('/etc/group', 'root:x:0:\nagent:x:1000:\n'),
    text('/etc/hosts', '127.0.0.1 localhost\n'),
    text('/agentrt/package.json', '{"type":"module"}\n'),
  ];
}

export function defaultImageFiles(): ImageFile[] {
  return [...baseFiles(), ...nodeRuntimeFiles(), ...agentFiles()];
}

export function contentHash(files: ImageFile[]): string {
  const h = createHash('sha256').update(DOCKERFILE);
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    h.update(f.path).update('\0').update(String(f.mode)).update('\0').update(f.content);
  }
  return h.digest('hex');
}

export const DOCKERFILE = `FROM scratch
COPY rootfs/ /
COPY --chown=1000:1000 workspace/ /workspace/
USER 1000:1000
WORKDIR /workspace
ENTRYPOINT []
CMD ["/usr/bin/node", "/agentrt/reference-agent.js"]
`;
