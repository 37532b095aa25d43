// Every hostile eval set (fixtures/cases/invalid/) through the built CLI: `agentrt eval` and `agentrt validate`
// exit 2 with the located error, and nothing happens — no container, network or volume of theirs on the engine,
// no run directory, no file beside the plan.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { runCli, stripAnsi, writePlanVariant } from '../test-helpers/cli.js';
import { repoRoot } from '../test-helpers/fixtures.js';
import { requireDocker } from '../sandbox/test-docker.js';
import { LABEL_PID, LABEL_RUN } from '../sandbox/driver.js';

const corpusDir = path.join(repoRoot, 'fixtures/cases/invalid');
const corpus = readdirSync(corpusDir).sort();
const docker = new Docker();

interface Expected { file: string; line: number; column: number; path: string; code: string }
const expectedOf = (name: string) => JSON.parse(readFileSync(path.join(corpusDir, name, 'expected.json'), 'utf8')) as Expected[];
const located = (name: string, e: Expected) => `${path.join(corpusDir, name, e.file === '.' ? '' : e.file).replace(/\/$/, '')}:${e.line}:${e.column} error ${e.code}${e.path ? ` ${e.path}` : ''}: `;

describe('hostile eval cases through the built CLI', () => {
  it('eval and validate exit 2 with each located error and leave nothing behind', async (ctx) => {
    await requireDocker(ctx);
    const since = Math.floor(Date.now() / 1000) - 1;
    const pids: number[] = [];
    for (let i = 0; i < corpus.length; i += 4) {
      await Promise.all(
        corpus.slice(i, i + 4).map(async (name) => {
          const { file, dir, runsDir } = await writePlanVariant((p) => ({ ...p, evals: { ...p.evals!, path: path.join(corpusDir, name) } }));
          for (const command of ['eval', 'validate']) {
            const run = runCli([command, file]);
            pids.push(run.pid!);
            const r = await run;
            expect(r.exitCode, `${command} ${name}: ${r.all}`).toBe(2);
            const err = stripAnsi(r.stderr);
            for (const e of expectedOf(name)) expect(err, `${command} ${name}`).toContain(located(name, e));
          }
          // Nothing beside the plan: the runs directory (the plan's trace_dir) was never created.
          expect(readdirSync(dir), name).toEqual(['plan.yaml']);
          expect(runsDir.startsWith(dir)).toBe(true);
        }),
      );
    }
    expect(pids.length).toBe(corpus.length * 2);
    // Containers carry the owning process's pid: the engine's event log shows none of ours was ever created,
    // even briefly. Networks and volumes carry it too, and none of ours exists.
    const until = Math.ceil(Date.now() / 1000) + 1;
    const stream = await docker.getEvents({ since, until, filters: { type: ['container'], label: [LABEL_RUN] } });
    let text = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
    const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Actor: { Attributes: Record<string, string> } });
    const ours = (labels: Record<string, string> | undefined) => pids.includes(Number(labels?.[LABEL_PID]));
    expect(events.filter((e) => ours(e.Actor.Attributes))).toEqual([]);
    expect((await docker.listNetworks({ filters: { label: [LABEL_RUN] } })).filter((n) => ours(n.Labels))).toEqual([]);
    expect(((await docker.listVolumes({ filters: { label: [LABEL_RUN] } })).Volumes ?? []).filter((v) => ours(v.Labels ?? undefined))).toEqual([]);
  }, 240_000);
});
