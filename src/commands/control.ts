// `agentrt pause|stop <runId> [--case <id>] --by <name>` (and `resume` of a live run): a person acts on a live run
// from another terminal. The request is a file the run picks up within a quarter second; the run answers, and this
// command reports which cases it applied to. The plan's `controls` say who may.
import type { Io } from '../io.js';
import { InfraError, UsageError } from '../errors.js';
import { openStoredRun } from '../engine/stored-run.js';
import { mayAct, readLive, waitForAck, writeRequest, type ControlAction } from '../engine/control-files.js';

export interface ControlOptions {
  run: string;
  action: ControlAction;
  by?: string;
  reason?: string;
  case?: string[];
  runsDir?: string;
}

const ACK_TIMEOUT_MS = 15_000;

export async function sendControl(opts: ControlOptions, io: Io): Promise<number> {
  const run = await openStoredRun(opts.run, opts.runsDir);
  const live = await readLive(run.runDir);
  if (!live) {
    throw new UsageError(`run ${run.runId} is not running`, {
      code: 'E_RUN_NOT_LIVE',
      details: [opts.action === 'resume' ? 'a case that stopped for an approval resumes with `agentrt resume` once it is decided' : 'only a live run can be paused or stopped; see `agentrt replay ' + run.runId + '`'],
    });
  }
  const list = opts.action === 'stop' ? live.controls.stop : live.controls.pause;
  const key = opts.action === 'stop' ? 'controls.stop' : 'controls.pause';
  if (!opts.by?.trim()) throw new UsageError(`say who you are: --by <name>`, { details: [`who may ${opts.action} this run: ${list.join(', ')} (the plan's ${key})`] });
  if (!mayAct(live.controls, opts.action, opts.by.trim())) {
    throw new UsageError(`${opts.by} may not ${opts.action} run ${run.runId}`, { code: 'E_NOT_ALLOWED', details: [`the plan's ${key} lists: ${list.join(', ')}`] });
  }
  const req = await writeRequest(run.runDir, { action: opts.action, by: opts.by.trim(), ...(opts.reason ? { reason: opts.reason } : {}), cases: opts.case ?? [] });
  const ack = await waitForAck(run.runDir, req.id, ACK_TIMEOUT_MS);
  if (!ack) throw new InfraError(`run ${run.runId} (pid ${live.pid}) did not answer within ${ACK_TIMEOUT_MS / 1000}s`, { code: 'E_CONTROL_TIMEOUT', details: ['it may be stuck; `agentrt stop` again, or end the process (its containers are swept by the next run)'] });
  if (!ack.ok) throw new UsageError(ack.error ?? `the run refused the ${opts.action}`);
  const past = { pause: 'paused', resume: 'resumed', stop: 'stopped' }[opts.action];
  io.out(ack.applied.length ? `${past} ${ack.applied.length} case(s) of run ${run.runId}: ${ack.applied.join(', ')}\n` : `no running case matched; nothing was ${past}\n`);
  if (opts.action === 'stop' && !opts.case?.length) io.out('no further case of this run will start\n');
  return 0;
}
