// Every hostile or malformed plan gets exit 2 and a located error from the real CLI, and nothing else happens:
// validate writes no file and starts no container.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli, stripAnsi } from '../test-helpers/cli.js';
import { repoRoot } from '../test-helpers/fixtures.js';

const dir = path.join(repoRoot, 'fixtures/plans/invalid');
const plans = readdirSync(dir).filter((n) => n.endsWith('.yaml'));

describe('agentrt validate on the hostile-plan corpus (built CLI)', () => {
  it('exits 2 with file:line:col for every plan, and 0 for the bundled plan', async () => {
    const before = readdirSync(repoRoot).sort();
    for (let i = 0; i < plans.length; i += 6) {
      const batch = plans.slice(i, i + 6);
      const results = await Promise.all(batch.map((p) => runCli(['validate', path.join('fixtures/plans/invalid', p)])));
      results.forEach((r, j) => {
        expect(r.exitCode, batch[j]).toBe(2);
        expect(stripAnsi(r.stderr), batch[j]).toMatch(new RegExp(`${batch[j]!.replace('.', '\\.')}:\\d+:\\d+ error E_PLAN_`));
      });
    }
    const ok = await runCli(['validate', 'runtime-plans/support-triage.yaml']);
    expect(ok.exitCode, ok.all).toBe(0);
    expect(readdirSync(repoRoot).sort()).toEqual(before);
  }, 120_000);
});
