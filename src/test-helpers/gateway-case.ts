// Test helper: a real gateway server on loopback with one case opened against the bundled plan and records.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlan } from '../plan/load.js';
import type { RuntimePlan } from '../plan/schema.js';
import { startGateway, type GatewayServer } from '../gateway/server.js';
import { TraceWriter } from '../trace/writer.js';
import { createFixtureStore } from '../tools/fixture-store.js';
import { resolveTools } from '../tools/registry.js';
import { createOfflineProvider } from '../providers/offline.js';
import type { Provider } from '../providers/types.js';
import type { FaultSpec } from '../plan/schema.js';
import { planDefaultApprover, type Approver } from '../gateway/approver.js';
import type { CaseCredentials } from '../gateway/credentials.js';
import type { TraceEvent } from '../trace/events.js';
import { repoRoot, supportDeskData } from './fixtures.js';

export interface TestCase {
  gw: GatewayServer;
  creds: CaseCredentials;
  base: string;
  traceFile: string;
  stops: Array<{ reason: string; detail: string }>;
  events(): TraceEvent[];
  close(): Promise<void>;
}

export async function openTestCase(opts: { plan?: (p: RuntimePlan) => RuntimePlan; provider?: Provider; approver?: Approver; faults?: FaultSpec[]; ticketText?: string; secrets?: string[] } = {}): Promise<TestCase> {
  const loaded = await loadPlan(path.join(repoRoot, 'runtime-plans/support-triage.yaml'));
  const plan = opts.plan ? opts.plan(structuredClone(loaded.plan)) : loaded.plan;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-gw-'));
  const traceFile = path.join(dir, 'case.ndjson');
  const startedAt = Date.now();
  const trace = TraceWriter.open(traceFile, { startedAt, secrets: opts.secrets ?? [], redact: [] });
  const gw = await startGateway({ host: '127.0.0.1' });
  const stops: TestCase['stops'] = [];
  const creds = gw.openCase({
    runId: 'run-test',
    caseId: 'case-1',
    plan,
    tools: await resolveTools(plan, loaded.dir),
    store: createFixtureStore(await supportDeskData()),
    trace,
    provider: opts.provider ?? createOfflineProvider(),
    approver: opts.approver ?? planDefaultApprover(),
    faults: opts.faults ?? [],
    seed: 42,
    startedAt,
    clockMs: startedAt,
    ticketText: opts.ticketText ?? 'Subject: Forgot password\nI forgot my password.',
    onStop: (s) => stops.push(s),
  });
  return {
    gw,
    creds,
    base: `http://127.0.0.1:${gw.port}`,
    traceFile,
    stops,
    events: () => readFileSync(traceFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEvent),
    close: async () => {
      trace.close();
      await gw.close();
    },
  };
}

export async function callToolHttp(tc: TestCase, name: string, args: unknown, extra: Record<string, unknown> = {}, token = tc.creds.toolToken) {
  const res = await fetch(`${tc.base}/tools/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ arguments: args, ...extra }) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } } };
}
