// The live run's side of `agentrt pause|resume|stop`: announce the run in live.json, poll control/ for requests,
// apply each to the running cases and answer it. Polling (not fs.watch) because it behaves the same on every
// filesystem, and a quarter second is quick enough for a person.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LiveCase } from './case-runner.js';
import type { RunContext } from './run-context.js';
import { controlDir, liveFile, mayAct, type ControlAck, type ControlRequest, type LiveFile } from './control-files.js';

const POLL_MS = 250;

export async function watchControls(ctx: RunContext, live: Map<string, LiveCase>, stopQueue: () => void): Promise<{ close(): Promise<void> }> {
  const info: LiveFile = { pid: process.pid, started_at: new Date().toISOString(), controls: ctx.plan.controls };
  await fs.writeFile(liveFile(ctx.runDir), JSON.stringify(info, null, 2) + '\n');
  const seen = new Set<string>();
  let busy = false;

  const apply = async (req: ControlRequest): Promise<ControlAck> => {
    if (!mayAct(ctx.plan.controls, req.action, req.by)) {
      const who = req.action === 'stop' ? ctx.plan.controls.stop : ctx.plan.controls.pause;
      return { ok: false, applied: [], error: `${req.by} may not ${req.action} this run (controls.${req.action === 'stop' ? 'stop' : 'pause'}: ${who.join(', ')})` };
    }
    const targets = [...live.values()].filter((c) => !req.cases.length || req.cases.some((k) => k === c.key || c.key.startsWith(`${k}~`)));
    if (req.action === 'stop' && !req.cases.length) stopQueue();
    for (const c of targets) {
      if (req.action === 'pause') await c.pause(req.by, req.reason);
      else if (req.action === 'resume') await c.resume(req.by);
      else c.stop(req.by, req.reason);
    }
    return { ok: true, applied: targets.map((c) => c.key) };
  };

  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const names = await fs.readdir(controlDir(ctx.runDir)).catch(() => [] as string[]);
      for (const n of names.filter((n) => n.endsWith('.json') && !n.endsWith('.ack.json')).sort()) {
        if (seen.has(n)) continue;
        seen.add(n);
        const file = path.join(controlDir(ctx.runDir), n);
        let ack: ControlAck;
        try {
          ack = await apply(JSON.parse(await fs.readFile(file, 'utf8')) as ControlRequest);
        } catch (err) {
          ack = { ok: false, applied: [], error: err instanceof Error ? err.message : String(err) };
        }
        await fs.writeFile(file.replace(/\.json$/, '.ack.json'), JSON.stringify(ack));
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll().catch(() => undefined), POLL_MS);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await fs.rm(liveFile(ctx.runDir), { force: true });
    },
  };
}
