// The HTML report in a real headless Chromium (Debian's chromium + playwright-core): it opens the static file with
// no server and no network, expands a case and checks what it shows.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { renderHtmlReport } from './html-report.js';
import { buildTimeline } from '../trace/timeline.js';
import type { TraceEvent, TraceEventInput } from '../trace/events.js';
import { inCI } from '../sandbox/test-docker.js';

const CHROMIUM = '/usr/bin/chromium';
const ev = (...es: TraceEventInput[]) => es.map((e, i) => ({ v: 1, seq: i, ts: 't', t_ms: i * 100, ...e }) as TraceEvent);
const header = { run_id: 'r1', started_at: 't', agentrt_version: '0', git_sha: null, plan_file: 'p', command: 'eval', model: { provider: 'offline', name: 'b' }, hashes: { plan: 'x', prompt: null, tools: 'x', fixtures: 'x', prices: 'x', image: null }, seed: 1 } as const;

describe('HTML report in headless Chromium', () => {
  it('opens offline, expands a case, shows its timeline, denial and <script> text as text', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (inCI) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
      ctx.skip(`${CHROMIUM} not installed (apt-get install chromium)`);
    }
    const timeline = buildTimeline(ev(
      { type: 'case.start', run: header, case_id: 'legal-threat', attempt: 1, ticket: { body: '<script>alert(1)</script> my lawyer' }, title: 'Legal threat' } as TraceEventInput,
      { type: 'tool.call', call_id: 'c1', tool: 'billing.refund', risk: 'irreversible', credential: { id: 'abcd1234', case_id: 'c', valid: true }, channel: 'json', args: { amount: 900 }, args_hash: 'h', idempotency_key: 'k', decision: 'deny', reason: 'stop rule legal', ok: false, error: 'stop_rule', diff: [], redacted: [], attempt: 1, latency_ms: 2 } as TraceEventInput,
      { type: 'escalation', by: 'agent', reason: 'legal', category: 'legal', summary: 'Customer threatens legal action.' } as TraceEventInput,
      { type: 'case.end', stop: 'escalated', detail: '', usage: { input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0 }, cost_usd: 0.001, steps: 2, duration_ms: 300, final_state_ref: 's' } as TraceEventInput,
    ));
    const html = renderHtmlReport({ title: 'agentrt eval — test', runId: 'r1', summary: [['completion', '50.0%']], gates: [{ gate: 'completion >= 0.8', passed: false, actual: 0.5 }], cases: [{ timeline, verdict: 'pass' }] });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'agentrt-html-')), 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${file}`);
      expect(await page.locator('h1').textContent()).toBe('agentrt eval — test');
      await expect.poll(() => page.locator('table').first().textContent()).toContain('50.0%');
      const details = page.locator('details.case[data-case="legal-threat"]');
      expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
      await details.locator(':scope > summary').click();
      expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
      const text = await details.innerText();
      expect(text).toContain('billing.refund [irreversible] → DENIED');
      expect(text).toContain('ESCALATED by agent: legal');
      expect(text).toContain('Stop: escalated');
      expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
      expect(html).toContain('&lt;script&gt;');
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
