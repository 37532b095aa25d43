// Test helpers: the bundled support-desk records, and a tool context over a fresh store.
import path from 'node:path';
import { loadFixtures, createFixtureStore } from '../tools/fixture-store.js';
import type { FixtureData, ToolContext } from '../tools/types.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const SYSTEMS = ['crm', 'tickets', 'billing', 'kb', 'eng', 'email', 'tasks', 'handoff'];

export async function supportDeskData(): Promise<FixtureData> {
  return loadFixtures(Object.fromEntries(SYSTEMS.map((s) => [s, path.join(repoRoot, 'fixtures/records', `${s}.yaml`)])));
}

export function contextFor(data: FixtureData, callId = 'call_test0001'): ToolContext {
  const store = createFixtureStore(data);
  return { store, callId, runId: 'run-test', caseId: 'case-test', now: () => new Date('2026-11-25T10:00:00Z') };
}
