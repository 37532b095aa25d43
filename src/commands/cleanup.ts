// `agentrt cleanup [--run <id>] [--all]`: removes containers and networks that crashed runs left behind, found by
// their labels. By default only runs whose agentrt process is gone; --run one run; --all every agentrt resource.
import type { Io } from '../io.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export async function cleanup(opts: { run?: string; all?: boolean }, io: Io): Promise<number> {
  const driver = await createDockerDriver();
  const { containers, networks } = opts.run || opts.all ? await driver.sweep(opts.run) : await driver.sweepStale();
  if (!containers.length && !networks.length) {
    io.out(`nothing to clean up${opts.run ? ` for run ${opts.run}` : ''}\n`);
    return 0;
  }
  for (const c of containers) io.out(`removed container ${c}\n`);
  for (const n of networks) io.out(`removed network ${n}\n`);
  return 0;
}
