import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, statSync, symlinkSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { PlanError } from '../errors.js';
import { buildContextEntries } from './build-context.js';
import { contentHash, imageContext, inContainerScript, parseLdd, type ImageFile } from './image.js';

const LDD = `	linux-vdso.so.1 (0x00007ffc9a1f2000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0c7c5f0000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0c7c400000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c7c000000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f0c7c600000)
`;

describe('offline image contents', () => {
  it('takes every library and the loader from ldd output, and not the vdso', () => {
    expect(parseLdd(LDD, 'node')).toEqual(['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });

  it('refuses a library the host lacks instead of building an image that cannot start', () => {
    expect(() => parseLdd(`${LDD}\tlibicu.so.72 => not found\n`, 'node')).toThrow(/needs libicu\.so\.72/);
  });

  it('the tag changes with any byte, mode or path of the context, and not with the order files are listed', () => {
    const files: ImageFile[] = [
      { path: '/a', content: Buffer.from('x'), mode: 0o644 },
      { path: '/b', content: Buffer.from('y'), mode: 0o644 },
    ];
    const base = contentHash(imageContext(files));
    expect(contentHash(imageContext([...files].reverse()))).toBe(base);
    expect(contentHash(imageContext([files[0]!, { ...files[1]!, content: Buffer.from('z') }]))).not.toBe(base);
    expect(contentHash(imageContext([files[0]!, { ...files[1]!, mode: 0o755 }]))).not.toBe(base);
    expect(contentHash(imageContext([files[0]!, { ...files[1]!, path: '/c' }]))).not.toBe(base);
  });

  it('scripts transpiled from src/ are byte-identical to the built dist/ (same tag from tests and the CLI)', async (ctx) => {
    for (const rel of ['sandbox/relay', 'agent/reference-agent']) {
      const dist = path.join(packageRoot, 'dist', `${rel}.js`);
      const src = path.join(packageRoot, 'src', `${rel}.ts`);
      if (!existsSync(dist) || statSync(dist).mtimeMs < statSync(src).mtimeMs) return ctx.skip(`${dist} is missing or older than its source: run npm run build`);
      const built = readFileSync(dist, 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
      expect((await inContainerScript(rel)).toString()).toBe(built);
    }
  });
});

describe('user build context', () => {
  const dir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'agentrt-ctx-'));
    writeFileSync(path.join(d, 'Dockerfile'), 'FROM agentrt-sandbox:latest\n');
    mkdirSync(path.join(d, 'src'));
    writeFileSync(path.join(d, 'src', 'agent.mjs'), 'console.log(1)\n');
    return d;
  };

  it('takes every file, in a stable order, following symlinks that stay inside', async () => {
    const d = dir();
    symlinkSync('src/agent.mjs', path.join(d, 'link.mjs'));
    expect((await buildContextEntries(d)).map((e) => e.name)).toEqual(['Dockerfile', 'link.mjs', 'src/agent.mjs']);
  });

  it.each([
    ['a symlink out of the directory', (d: string) => symlinkSync('/etc/passwd', path.join(d, 'passwd')), /points outside the context/],
    ['a symlink loop', (d: string) => symlinkSync('..', path.join(d, 'src', 'up')), /symlink loop/],
    ['a dangling symlink', (d: string) => symlinkSync('nowhere', path.join(d, 'gone')), /dangling symlink/],
  ])('refuses %s', async (_what, make, message) => {
    const d = dir();
    make(d);
    const err = await buildContextEntries(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanError);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a directory without a Dockerfile', async () => {
    await expect(buildContextEntries(mkdtempSync(path.join(os.tmpdir(), 'agentrt-ctx-')))).rejects.toThrow(/no Dockerfile/);
  });
});
