import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { init } from './init.js';
import { checkPlan } from '../plan/load.js';
import { captureIo } from '../io.js';
import { UsageError } from '../errors.js';

describe('agentrt init', () => {
  it('writes a commented starter plan and the files it references, which validates as written', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'agentrt-init-')), 'support-bot.yaml');
    expect(await init({ file }, captureIo())).toBe(0);
    const { plan, diagnostics } = await checkPlan(file);
    expect(diagnostics).toEqual([]);
    expect(plan?.plan.name).toBe('support-bot');
    await expect(init({ file }, captureIo())).rejects.toBeInstanceOf(UsageError);
    expect(await init({ file, force: true }, captureIo())).toBe(0);
  });
});
