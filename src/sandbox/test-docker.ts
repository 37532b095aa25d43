// Shared by every test that needs the real Docker engine. In CI (CI=true) an unreachable engine FAILS the test
// with the reason; on a laptop without Docker the tests are skipped with a visible reason instead. Never mock the
// engine in these tests: what they prove (isolation, cleanup) only holds on a real one.
import { DockerDriver } from './docker-driver.js';

let probe: Promise<string | null> | undefined;

/** null when the engine answers (within 5 s), else why not. Probed once per test file. */
export function dockerProblem(): Promise<string | null> {
  probe ??= new DockerDriver()
    .ping()
    .then(() => null)
    .catch((err: Error & { details?: string[] }) => [err.message, ...(err.details ?? [])].join('; '));
  return probe;
}

export const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';

let warned = false;

/**
 * Call first in every test that needs Docker (`it('…', async (ctx) => { await requireDocker(ctx); … })`): returns
 * when the engine answers; throws (the test fails) in CI when it does not; otherwise skips the test with the reason.
 */
export async function requireDocker(ctx: { skip: (note?: string) => void }): Promise<void> {
  const problem = await dockerProblem();
  if (!problem) return;
  if (inCI) throw new Error(`CI=true but ${problem}. The Docker tests must run for real in CI.`);
  if (!warned) process.stderr.write(`\n[docker tests skipped] ${problem}\n`);
  warned = true;
  ctx.skip(`no Docker engine: ${problem}`);
}
