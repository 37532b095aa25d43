// `agentrt image build [--force]`: the offline sandbox image (also built automatically when a run needs it).
// Prints the tag, whether it was built or already present, and how long that took.
import type { Io } from '../io.js';
import { createDockerDriver } from '../sandbox/docker-driver.js';

export async function imageBuild(opts: { force?: boolean }, io: Io): Promise<number> {
  const driver = await createDockerDriver();
  const started = Date.now();
  const { tag, built } = await driver.ensureDefaultImage(opts.force ?? false);
  const ms = Date.now() - started;
  io.out(
    built
      ? `built ${tag} in ${(ms / 1000).toFixed(1)}s (FROM scratch: the host's node and its libraries, the relay and the reference agent; also tagged agentrt-sandbox:latest)\n`
      : `${tag} already present (content hash unchanged; checked in ${ms} ms). Use --force to rebuild.\n`,
  );
  return 0;
}
