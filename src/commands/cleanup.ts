// `agentrt cleanup [--run <id>]`: removes containers and networks left by crashed runs, found by their labels.
import type { Io } from '../io.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export async function cleanup(opts: { run?: string }, io: Io): Promise<number> {
  const driver = await createDockerDriver();
  const { containers, networks } = await driver.sweep(opts.run);
  if (!containers.length && !networks.length) {
    io.out(`nothing to clean up${opts.run ? ` for run ${opts.run}` : ''}\n`);
    return 0;
  }
  for (const c of containers) io.out(`removed container ${c}\n`);
  for (const n of networks) io.out(`removed network ${n}\n`);
  return 0;
}
