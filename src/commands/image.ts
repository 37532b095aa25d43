// `agentrt image build`: the offline sandbox image (also built automatically when a run needs it).
import type { Io } from '../io.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export async function imageBuild(opts: { force?: boolean }, io: Io): Promise<number> {
  const driver = await createDockerDriver();
  const started = Date.now();
  const { tag, built } = await driver.ensureDefaultImage(opts.force ?? false);
  const ms = Date.now() - started;
  io.out(built ? `built ${tag} in ${(ms / 1000).toFixed(1)}s (FROM scratch: host node + its libraries + the reference agent and relay)\n` : `${tag} is up to date (content hash unchanged; checked in ${ms} ms)\n`);
  return 0;
}
