// Which runs are a crashed agentrt's leftovers: labelled with this host and an agentrt process that no longer exists.
// Live runs (of this or another agentrt process) are never touched; neither are runs started on another host.
import os from 'node:os';
import { LABEL_HOST, LABEL_PID, LABEL_RUN } from './driver.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export function staleRuns(items: Array<{ Labels?: Record<string, string> | null }>): string[] {
  const runs = new Set<string>();
  for (const { Labels: l } of items) {
    const run = l?.[LABEL_RUN];
    const pid = Number(l?.[LABEL_PID]);
    if (run && pid && l?.[LABEL_HOST] === os.hostname() && pid !== process.pid && !processAlive(pid)) runs.add(run);
  }
  return [...runs];
}
