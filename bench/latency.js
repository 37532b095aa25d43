// Gateway added latency: the same offline provider and the same tool, called directly in-process and through
// the gateway over loopback HTTP. Added latency = gateway − direct, per percentile.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../dist/gateway/server.js';
import { TraceWriter } from '../dist/trace/writer.js';
import { loadPlan } from '../dist/plan/load.js';
import { resolveTools } from '../dist/tools/registry.js';
import { createFixtureStore, loadFixtures } from '../dist/tools/fixture-store.js';
import { offlineComplete, createOfflineProvider } from '../dist/providers/offline.js';
import { planDefaultApprover } from '../dist/gateway/approver.js';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] * 1000) / 1000;
};

export async function gatewayLatency(n) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const loaded = await loadPlan(path.join(root, 'runtime-plans/support-triage.yaml'));
  const plan = { ...loaded.plan, limits: { ...loaded.plan.limits, max_steps: 100_000, max_tokens: 1e9, max_cost_usd: 1e6 } };
  const tools = await resolveTools(plan, loaded.dir);
  const data = await loadFixtures(Object.fromEntries(plan.systems.map((s) => [s.name, path.resolve(loaded.dir, s.fixtures)])));
  const store = createFixtureStore(data);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentrt-lat-'));
  const trace = TraceWriter.open(path.join(dir, 't.ndjson'), { startedAt: Date.now(), secrets: [], redact: [] });
  const gw = await startGateway({ host: '127.0.0.1' });
  const creds = gw.openCase({ runId: 'bench', caseId: 'c', plan, tools, store, trace, provider: createOfflineProvider(), approver: planDefaultApprover(), faults: [], seed: 1, startedAt: Date.now(), ticketText: 'bench', onStop: () => {} });
  const base = `http://127.0.0.1:${gw.port}`;
  const body = { messages: [{ role: 'user', content: 'New support ticket T-1001\nFrom: Priya <priya@northwind.example>\nSubject: Forgot password\n\nhelp' }] };
  const toolArgs = { query: 'password' };
  const ctx = { store, callId: 'x', runId: 'bench', caseId: 'c', now: () => new Date() };
  const time = async (fn) => {
    const xs = [];
    for (let i = 0; i < 20; i++) await fn(i); // warm up
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn(i);
      xs.push(performance.now() - t);
    }
    return xs;
  };
  const directModel = await time(async () => offlineComplete(body, 'baseline-v1'));
  const viaModel = await time(async () => (await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${creds.modelKey}` }, body: JSON.stringify(body) })).json());
  const directTool = await time(async () => tools.get('kb.search').run(toolArgs, ctx));
  const viaTool = await time(async (i) => (await fetch(`${base}/tools/kb.search`, { method: 'POST', headers: { authorization: `Bearer ${creds.toolToken}` }, body: JSON.stringify({ arguments: toolArgs, call_id: `b${i}` }) })).json());
  gw.closeCase('c');
  trace.close();
  await gw.close();
  const added = (via, direct) => ({ p50: Math.round((pct(via, 50) - pct(direct, 50)) * 1000) / 1000, p99: Math.round((pct(via, 99) - pct(direct, 99)) * 1000) / 1000, direct_p50: pct(direct, 50), via_p50: pct(via, 50) });
  return { model: added(viaModel, directModel), tool: added(viaTool, directTool) };
}
