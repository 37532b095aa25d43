// `agentrt cleanup [--run <id>] [--all]`: removes the containers, networks and workspace volumes that crashed runs
// left behind, found by their labels. By default only runs whose agentrt process is gone (live runs are never
// touched); --run one run, live or not; --all every agentrt resource on the engine.
import type { Io } from '../io.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export async function cleanup(opts: { run?: string; all?: boolean }, io: Io): Promise<number> {
  const driver = await createDockerDriver();
  const { containers, networks, volumes } = opts.run || opts.all ? await driver.sweep(opts.run) : await driver.sweepStale();
  if (!containers.length && !networks.length && !volumes.length) {
    io.out(`nothing to clean up${opts.run ? ` for run ${opts.run}` : ''}\n`);
    return 0;
  }
  for (const c of containers) io.out(`removed container ${c}\n`);
  for (const n of networks) io.out(`removed network ${n}\n`);
  for (const v of volumes) io.out(`removed volume ${v}\n`);
  return 0;
}
