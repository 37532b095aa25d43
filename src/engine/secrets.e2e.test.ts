// The real provider key, a canary set on the host, is used for every model call yet never reaches the sandbox or
// anything agentrt writes or prints — across run, eval, replay, rerun, the HTML report, OTLP and JSON reports —
// even when the upstream echoes it back. A probe agent searches its own environment, files and every response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { inlineAgent, runCli, writePlanVariant } from '../test-helpers/cli.js';
import { requireDocker } from '../sandbox/test-docker.js';
import type { TraceEvent } from '../trace/events.js';

const CANARY = `sk-live-CANARY-${randomBytes(16).toString('hex')}`;

// A leaky OpenAI-compatible upstream: it answers the first turn with a tool call, and the next with a message that
// repeats the Authorization header it was sent (JSON and SSE alike).
let upstream: http.Server;
let upstreamUrl = '';
const seenKeys: string[] = [];
beforeAll(async () => {
  upstream = http.createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const body = JSON.parse(raw || '{}') as { messages?: Array<{ role: string }>; stream?: boolean };
    seenKeys.push(String(req.headers.authorization ?? ''));
    if (req.headers.authorization !== `Bearer ${CANARY}`) return res.writeHead(401).end('{"error":{"message":"bad key"}}');
    const base = { id: 'chatcmpl-leak', created: 1741569952, model: 'gpt-4o-mini-2024-07-18' };
    const usage = { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 };
    const leak = `debug: I was called with ${req.headers.authorization}`;
    const toolTurn = !(body.messages ?? []).some((m) => m.role === 'tool');
    const message = toolTurn
      ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'kb__search', arguments: '{"query":"password"}' } }] }
      : { role: 'assistant', content: leak };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: toolTurn ? 'tool_calls' : 'stop' }], usage }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: unknown, finish: string | null) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    res.write(chunk({ content: leak }, null));
    res.write(chunk({}, 'stop'));
    res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => upstream.listen(0, '0.0.0.0', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

// Looks for the canary's fixed prefix (the agent cannot know the key itself) in everything it can reach.
const PROBE = `
const fs = require('node:fs'), p = require('node:path');
const mark = 'CAN' + 'ARY-'; // built at run time, so the probe's own source (in /proc/self/cmdline) does not match
const hits = [], look = (where, text) => { if (String(text).includes(mark)) hits.push(where); };
look('env', JSON.stringify(process.env));
for (const f of ['/proc/self/environ', '/proc/1/environ', '/proc/self/cmdline']) { try { look(f, fs.readFileSync(f, 'latin1')); } catch {} }
const walk = (d, depth = 0) => { let names = []; try { names = fs.readdirSync(d); } catch { return; }
  for (const n of names) { const f = p.join(d, n); let s; try { s = fs.lstatSync(f); } catch { continue; }
    if (s.isDirectory() && depth < 6) walk(f, depth + 1); else if (s.isFile() && s.size < 1e6) { try { look(f, fs.readFileSync(f, 'latin1')); } catch {} } } };
for (const d of ['/workspace', '/agentrt', '/tmp', '/etc', '/home', '/root']) walk(d);
const model = process.env.OPENAI_BASE_URL + '/chat/completions', key = process.env.OPENAI_API_KEY;
const chat = async (messages, stream) => { const r = await fetch(model, { method: 'POST', headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'x', messages, stream, stream_options: stream ? { include_usage: true } : undefined }) }); return r.text(); };
(async () => {
  const msgs = [{ role: 'system', content: 'probe' }, { role: 'user', content: 'hello' }];
  const first = await chat(msgs, false); look('model-json-1', first);
  const call = JSON.parse(first).choices[0].message;
  const tool = await fetch(process.env.AGENTRT_TOOLS_URL + '/kb.search', { method: 'POST', headers: { authorization: 'Bearer ' + process.env.AGENTRT_TOOL_TOKEN, 'content-type': 'application/json' }, body: JSON.stringify({ arguments: { query: 'password' }, call_id: 'call_1' }) }).then((r) => r.text());
  look('tool', tool);
  const next = [...msgs, call, { role: 'tool', tool_call_id: 'call_1', content: tool }];
  const second = await chat(next, false); look('model-json-2', second);
  const streamed = await chat(next, true); look('model-sse', streamed);
  console.log('PROBE ' + JSON.stringify({ hits, masked: second.includes('[REDACTED]') && streamed.includes('[REDACTED]') }));
})().catch((e) => { console.log('PROBE-ERROR ' + e.message); process.exit(1); });`;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const f = path.join(dir, n);
    if (statSync(f).isDirectory()) out.push(...filesUnder(f));
    else out.push(f);
  }
  return out;
}

describe('the real key never leaves the host (real engine, leaky upstream)', () => {
  it('is used upstream, masked in what the agent gets, and absent from every container, trace, report and log', async (ctx) => {
    await requireDocker(ctx);
    const env = { AGENTRT_CANARY_KEY: CANARY };
    const { file, dir, runsDir } = await writePlanVariant((p) => ({
      ...p,
      model: { provider: 'openai-compatible', name: 'gpt-4o-mini', base_url: upstreamUrl, api_key_env: 'AGENTRT_CANARY_KEY', prices: { input_per_mtok: 0.15, output_per_mtok: 0.6 }, max_tokens: 256 },
      agent: inlineAgent(PROBE),
      gates: [],
    }));
    const outputs: string[] = [];
    const cli = async (args: string[]) => {
      const r = await runCli(args, { env });
      outputs.push(r.all ?? '');
      return r;
    };
    const run = await cli(['run', file, '--case', 'happy-password-reset']);
    expect(run.exitCode, run.all).toBe(0);
    const json = path.join(dir, 'eval.json');
    const evalRun = await cli(['eval', file, '--case', 'happy-password-reset', '--case', 'legal-threat-refund', '--reporter', 'json', '-o', json, '--report', 'html']);
    expect(evalRun.exitCode, evalRun.all).toBe(0);
    const evalId = readdirSync(runsDir).sort().at(-1)!;
    const otlp = path.join(dir, 'otlp.json');
    expect((await cli(['replay', evalId, '--runs-dir', runsDir, '--full', '--report', 'html', '--otlp', otlp])).exitCode).toBe(0);
    expect((await cli(['replay', evalId, '--runs-dir', runsDir, '--json'])).exitCode).toBe(0);
    expect((await cli(['explain', evalId, 'legal-threat-refund', '--runs-dir', runsDir])).exitCode).toBe(0);
    const rerun = await cli(['replay', path.join(runsDir, evalId), '--rerun']);
    expect(rerun.exitCode, rerun.all).toBe(0);

    // The key was really in use: the upstream saw it on every call.
    expect(seenKeys.length).toBeGreaterThanOrEqual(6);
    expect(seenKeys.every((k) => k === `Bearer ${CANARY}`)).toBe(true);

    // Inside the sandbox: nothing in env, /proc, files or responses; the echoed key arrived masked.
    const traces = filesUnder(runsDir).filter((f) => f.endsWith('.ndjson'));
    expect(traces.length).toBeGreaterThanOrEqual(4);
    for (const t of traces) {
      const events = readFileSync(t, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
      const probe = events.filter((e) => e.type === 'agent.output').map((e) => (e as { text: string }).text).join('');
      if (events.some((e) => e.type === 'model.call' && (e as { provider: string }).provider === 'replay')) continue; // the rerun serves recordings
      expect(probe, t).toMatch(/PROBE \{"hits":\[\],"masked":true\}/);
    }

    // Outside: no file agentrt wrote, no report and no output holds it.
    const written = [...filesUnder(runsDir), json, otlp];
    expect(written.some((f) => f.endsWith('report.html'))).toBe(true);
    for (const f of written) expect(readFileSync(f, 'latin1').includes(CANARY), f).toBe(false);
    for (const o of outputs) expect(o.includes(CANARY)).toBe(false);
  }, 240_000);
});
