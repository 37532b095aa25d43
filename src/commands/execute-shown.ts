// Every command that runs cases does it the same way: the Docker driver, Ctrl-C wired in, a progress display fed by
// the engine and always closed. Commands pass only what differs (cases, approvers, providers, their own hooks).
import { execute, type Execution, type ExecuteOptions } from '../engine/execute.js';
import { interruptController } from '../interrupt.js';
import { displayHooks, type ProgressDisplay } from '../report/progress-display.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export async function executeShown(display: ProgressDisplay, opts: Omit<ExecuteOptions, 'driver' | 'signal'>): Promise<Execution> {
  const driver = await createDockerDriver();
  try {
    return await execute({ ...displayHooks(display), onRunOpen: (ctx) => display.status(`run ${ctx.runId}`), ...opts, driver, signal: interruptController.signal });
  } finally {
    display.stop();
  }
}
