// What goes into the default sandbox image, built offline: FROM scratch with the host's own node binary, its shared
// libraries, the relay and the reference agent. No registry is needed. The tag is a hash of every byte of the
// build context, so an unchanged build is found and reused instantly.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { packageRoot } from '../paths.js';
import { InfraError } from '../errors.js';
import type { TarEntry } from './tar.js';

export interface ImageFile {
  path: string; // absolute path inside the image
  content: Buffer;
  mode: number;
}

export const IMAGE_REPO = 'agentrt-sandbox';
export const AGENT_UID = 1000;

/** Parses `ldd` output into the absolute paths of the libraries and the loader; throws if one is missing. */
export function parseLdd(output: string, binary: string): string[] {
  const libs: string[] = [];
  for (const line of output.split('\n')) {
    if (/=>\s*not found/.test(line)) {
      throw new InfraError(`${binary} needs ${line.trim().split(/\s/)[0]}, which the host does not have`, { code: 'E_IMAGE_LDD' });
    }
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line); // "lib => /path (addr)" or the loader "/path (addr)"
    if (m) libs.push(m[1]!);
  }
  return libs;
}

/** node and every shared library it loads, at the paths the loader looks for them (no ld.so.cache in the image). */
export function nodeRuntimeFiles(nodePath = process.execPath): ImageFile[] {
  const real = realpathSync(nodePath);
  const files: ImageFile[] = [{ path: '/usr/bin/node', content: readFileSync(real), mode: 0o755 }];
  let ldd: string;
  try {
    ldd = execFileSync('ldd', [real], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const out = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    if (/not a dynamic executable|statically linked/.test(out)) return files; // a static node needs nothing else
    throw new InfraError(`cannot list the libraries of ${real} (ldd failed): ${(err as Error).message}`, { code: 'E_IMAGE_LDD', details: ['install ldd (libc-bin) on the host'] });
  }
  for (const lib of parseLdd(ldd, real)) files.push({ path: lib, content: readFileSync(realpathSync(lib)), mode: 0o755 });
  return files;
}

const SCRIPTS = [
  ['sandbox/relay', '/agentrt/relay.js'],
  ['agent/reference-agent', '/agentrt/reference-agent.js'],
] as const;

/**
 * A script that runs inside the container, as JavaScript. Built agentrt reads dist/; under vitest (running from
 * src/) the TypeScript source is transpiled on the fly, so the sandbox tests never run a stale or missing dist/ and
 * do not depend on the rest of the tree compiling. Both give the same bytes (checked by a test), hence the same tag.
 */
export async function inContainerScript(rel: string): Promise<Buffer> {
  const strip = (js: string) => Buffer.from(js.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'));
  if (import.meta.url.endsWith('.ts')) {
    const source = path.join(packageRoot, 'src', `${rel}.ts`);
    const ts = (await import('typescript')).default;
    const out = ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: source,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, esModuleInterop: true },
    });
    return strip(out.outputText);
  }
  const file = path.join(packageRoot, 'dist', `${rel}.js`);
  if (!existsSync(file)) throw new InfraError(`${file} is missing`, { code: 'E_IMAGE_BUILD_MISSING', details: ['run `npm run build` first'] });
  return strip(readFileSync(file, 'utf8'));
}

export async function scriptFiles(): Promise<ImageFile[]> {
  return Promise.all(SCRIPTS.map(async ([rel, dest]) => ({ path: dest, content: await inContainerScript(rel), mode: 0o644 })));
}

export function baseFiles(): ImageFile[] {
  const text = (p: string, s: string): ImageFile => ({ path: p, content: Buffer.from(s), mode: 0o644 });
  return [
    text('/etc/passwd', `root:x:0:0:root:/root:/sbin/nologin\nagent:x:${AGENT_UID}:${AGENT_UID}:agent:/workspace:/sbin/nologin\n`),
    text('/etc/group', `root:x:0:\nagent:x:${AGENT_UID}:\n`),
    text('/etc/hosts', '127.0.0.1 localhost\n'),
    // The scripts are ES modules (tsc emits `import`): mark their directory as such.
    text('/agentrt/package.json', '{"type":"module"}\n'),
  ];
}

/** Everything of the default image; `scripts` replaces the relay and reference agent (tests use small ones). */
export async function defaultImageFiles(opts: { scripts?: ImageFile[] } = {}): Promise<ImageFile[]> {
  return [...baseFiles(), ...nodeRuntimeFiles(), ...(opts.scripts ?? (await scriptFiles()))];
}

export const DOCKERFILE = `FROM scratch
COPY rootfs/ /
COPY --chown=${AGENT_UID}:${AGENT_UID} workspace/ /workspace/
USER ${AGENT_UID}:${AGENT_UID}
WORKDIR /workspace
ENTRYPOINT []
CMD ["/usr/bin/node", "/agentrt/reference-agent.js"]
`;

/** The whole build context: the files under rootfs/, the Dockerfile, /workspace (owned by the agent) and /tmp. */
export function imageContext(files: ImageFile[]): TarEntry[] {
  return [
    { name: 'Dockerfile', content: Buffer.from(DOCKERFILE), mode: 0o644 },
    // A fresh volume mounted on /workspace copies this directory's owner: the agent can write there.
    { name: 'workspace/.agentrt', content: Buffer.from('agentrt sandbox workspace\n'), mode: 0o644 },
    { name: 'rootfs/tmp', mode: 0o1777 },
    ...[...files].sort((a, b) => a.path.localeCompare(b.path)).map((f) => ({ name: `rootfs${f.path}`, content: f.content, mode: f.mode })),
  ];
}

/** sha256 over every entry of the build context: names, modes, owners and bytes. */
export function contentHash(entries: TarEntry[]): string {
  const h = createHash('sha256');
  for (const e of entries) {
    h.update(`${e.name}\0${e.mode}\0${e.uid ?? 0}\0${e.content ? e.content.length : 'dir'}\0`);
    if (e.content) h.update(e.content);
  }
  return h.digest('hex');
}

export function defaultImageTag(entries: TarEntry[]): string {
  return `${IMAGE_REPO}:${contentHash(entries).slice(0, 16)}`;
}
