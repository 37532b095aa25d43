// Bring your own agent: the example agents under fixtures/agents/ — one on the official openai client, one on the
// MCP SDK client — built offline on top of the sandbox image and run unchanged in the Docker sandbox.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { runCli, writePlanVariant } from '../test-helpers/cli.js';
import { repoRoot } from '../test-helpers/fixtures.js';
import { requireDocker } from '../sandbox/test-docker.js';
import type { TraceEvent } from '../trace/events.js';

async function bundle(dir: string): Promise<void> {
  await build({
    entryPoints: [path.join(dir, 'agent.mjs')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(dir, 'agent.bundle.mjs'),
    // Some dependencies still call require(); give the ESM bundle one.
    banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
}

describe.each([
  ['openai-client', 'json'],
  ['mcp-client', 'mcp'],
])('example agent %s (real engine)', (name, channel) => {
  it('runs unchanged in the sandbox and reaches tools over its protocol', async (ctx) => {
    await requireDocker(ctx);
    const dir = path.join(repoRoot, 'fixtures/agents', name);
    await bundle(dir);
    const { file, runsDir } = await writePlanVariant((p) => ({ ...p, agent: { command: ['/usr/bin/node', '/agent/agent.mjs'], build: dir, workdir: '/workspace' } }));
    const canary = 'sk-live-CANARY-b7e1d3c9a5f2';
    const r = await runCli(['run', file, '--case', 'happy-password-reset'], { env: { OPENAI_API_KEY: canary } });
    expect(r.exitCode, r.all).toBe(0);
    const [run] = readdirSync(runsDir);
    const text = readFileSync(path.join(runsDir, run!, 'cases', 'happy-password-reset.ndjson'), 'utf8');
    const events = text.trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
    const tools = events.filter((e) => e.type === 'tool.call') as Array<{ tool: string; channel: string; ok: boolean }>;
    expect(tools.length).toBeGreaterThan(2);
    expect(tools.every((t) => t.channel === channel && t.ok)).toBe(true);
    expect(tools.map((t) => t.tool)).toContain('tickets.draft_reply');
    expect(events.at(-1)).toMatchObject({ type: 'case.end', stop: 'completed' });
    expect(text + r.all).not.toContain(canary);
  }, 180_000);
});
