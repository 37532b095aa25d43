// Shared by every test that needs the real Docker engine. In CI (CI=true) an unreachable engine FAILS the test
// with the reason; on a laptop without Docker the tests are skipped with a visible reason instead.
import Docker from 'dockerode';

let probe: Promise<string | null> | undefined;

/** null when the engine answers, else why not. */
export function dockerProblem(): Promise<string | null> {
  probe ??= new Docker()
    .ping()
    .then(() => null)
    .catch((err: Error) => `Docker engine not reachable (${err.message}); start dockerd or set DOCKER_HOST`);
  return probe;
}

export const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';

/** Call at the top of a docker test: returns true when the test should run, throws in CI when it cannot. */
export async function requireDocker(ctx: { skip: (note?: string) => void }): Promise<void> {
  const problem = await dockerProblem();
  if (!problem) return;
  if (inCI) throw new Error(`CI=true but ${problem}. The sandbox tests must run for real in CI.`);
  ctx.skip(problem);
}
