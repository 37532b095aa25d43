// How a second terminal talks to a live run: files in the run directory, so it works wherever the run's files are
// readable and needs no port. `live.json` says which process runs it and who may do what; each request is a file in
// `control/`, answered by the run with `<id>.ack.json`.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RuntimePlan } from '../plan/schema.js';

export type ControlAction = 'pause' | 'resume' | 'stop';

export interface LiveFile {
  pid: number;
  started_at: string;
  controls: RuntimePlan['controls'];
}

export interface ControlRequest {
  id: string;
  action: ControlAction;
  by: string;
  reason?: string;
  /** Case keys; empty = every running case. */
  cases: string[];
  requested_at: string;
}

export interface ControlAck {
  ok: boolean;
  applied: string[];
  error?: string;
}

export const liveFile = (runDir: string) => path.join(runDir, 'live.json');
export const controlDir = (runDir: string) => path.join(runDir, 'control');

/** `controls.pause` also covers resuming: whoever may freeze a run may thaw it. */
export function mayAct(controls: RuntimePlan['controls'], action: ControlAction, by: string): boolean {
  const list = action === 'stop' ? controls.stop : controls.pause;
  return list.includes(by);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** The live run's file, or undefined when no agentrt process runs it any more. */
export async function readLive(runDir: string): Promise<LiveFile | undefined> {
  try {
    const live = JSON.parse(await fs.readFile(liveFile(runDir), 'utf8')) as LiveFile;
    return processAlive(live.pid) ? live : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRequest(runDir: string, req: Omit<ControlRequest, 'id' | 'requested_at'>): Promise<ControlRequest> {
  const full: ControlRequest = { ...req, id: `${Date.now()}-${randomBytes(3).toString('hex')}`, requested_at: new Date().toISOString() };
  await fs.mkdir(controlDir(runDir), { recursive: true });
  const file = path.join(controlDir(runDir), `${full.id}.json`);
  await fs.writeFile(`${file}.tmp`, JSON.stringify(full));
  await fs.rename(`${file}.tmp`, file); // the run never reads half a request
  return full;
}

export async function waitForAck(runDir: string, id: string, timeoutMs: number): Promise<ControlAck | undefined> {
  const file = path.join(controlDir(runDir), `${id}.ack.json`);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as ControlAck;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return undefined;
}
