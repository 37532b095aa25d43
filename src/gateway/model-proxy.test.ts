import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { openTestCase, type TestCase } from '../test-helpers/gateway-case.js';
import type { Provider } from '../providers/types.js';
import { offlineComplete } from '../providers/offline.js';

let tc: TestCase | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

const ticket = { role: 'user' as const, content: 'New support ticket T-1001\nFrom: Priya <priya@northwind.example>\nSubject: Forgot password\n\nI forgot my password.' };
const tools = [{ type: 'function' as const, function: { name: 'crm__get_account', description: 'look up', parameters: { type: 'object', properties: { email: { type: 'string' } } } } }];

describe('model proxy (OpenAI chat completions)', () => {
  it('serves the official openai client, non-streaming, with tool calls and exact usage', async () => {
    tc = await openTestCase();
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    const res = await client.chat.completions.create({ model: 'anything', messages: [ticket], tools });
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(res.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'crm__get_account', arguments: '{"email":"priya@northwind.example"}' } });
    const call = tc.events().find((e) => e.type === 'model.call') as { usage: { input_tokens: number; output_tokens: number }; cost_usd: number };
    expect(call.usage.input_tokens).toBe(res.usage?.prompt_tokens);
    expect(call.usage.output_tokens).toBe(res.usage?.completion_tokens);
    // The bundled plan prices: $0.15 / $0.60 per million tokens.
    expect(call.cost_usd).toBeCloseTo((call.usage.input_tokens * 0.15 + call.usage.output_tokens * 0.6) / 1e6, 12);
  });

  it('streams SSE the official client assembles, with a usage chunk only when asked', async () => {
    tc = await openTestCase();
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    const collect = async (includeUsage: boolean) => {
      const stream = await client.chat.completions.create({ model: 'm', messages: [ticket], tools, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
      let args = '';
      let name = '';
      let usageChunks = 0;
      for await (const chunk of stream) {
        if (chunk.usage) usageChunks++;
        const d = chunk.choices[0]?.delta.tool_calls?.[0];
        if (d?.function?.name) name = d.function.name;
        if (d?.function?.arguments) args += d.function.arguments;
      }
      return { name, args, usageChunks };
    };
    expect(await collect(false)).toEqual({ name: 'crm__get_account', args: '{"email":"priya@northwind.example"}', usageChunks: 0 });
    expect((await collect(true)).usageChunks).toBe(1);
  });

  it('accepts the key as x-api-key and refuses any other key', async () => {
    tc = await openTestCase();
    const ok = await fetch(`${tc.base}/v1/models`, { headers: { 'x-api-key': tc.creds.modelKey } });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${tc.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-real-looking-key' }, body: '{}' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('records only what is new on each call, so the trace grows linearly', async () => {
    const alwaysCalls: Provider = {
      id: 'stub',
      complete: async (req) => {
        const out = offlineComplete({ ...req, messages: [ticket] }, 'm'); // always the first step: a tool call
        return out;
      },
    };
    tc = await openTestCase({ provider: alwaysCalls });
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'system', content: 'sys' }, ticket];
    for (let i = 0; i < 3; i++) {
      const r = await client.chat.completions.create({ model: 'm', messages, tools });
      const msg = r.choices[0]!.message;
      messages.push({ role: 'assistant', content: msg.content, tool_calls: msg.tool_calls });
      messages.push({ role: 'tool', tool_call_id: msg.tool_calls![0]!.id, content: '{"ok":true,"result":{}}' });
    }
    const calls = tc.events().filter((e) => e.type === 'model.call') as Array<{ request: { prefix_len: number; new_messages: unknown[] } }>;
    expect(calls.map((c) => [c.request.prefix_len, c.request.new_messages.length])).toEqual([[0, 2], [2, 2], [4, 2]]);
  });

  it('ten concurrent calls against a nearly spent cost budget never overshoot it', async () => {
    // A slow upstream that always uses its full output allowance: each call costs what was reserved for output.
    const slow: Provider = {
      id: 'slow',
      complete: async (req) => {
        await new Promise((r) => setTimeout(r, 30));
        const out = offlineComplete(req, 'm');
        return { response: out.response, usage: { ...out.usage, output_tokens: 100 } };
      },
    };
    tc = await openTestCase({
      provider: slow,
      plan: (p) => ({ ...p, model: { ...p.model, prices: { input_per_mtok: 1, output_per_mtok: 1 }, max_tokens: 100 }, limits: { ...p.limits, max_cost_usd: 0.0005 } }),
    });
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey, maxRetries: 0 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.chat.completions.create({ model: 'm', messages: [ticket], max_tokens: 100 })));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const spent = tc.events().filter((e) => e.type === 'model.call').reduce((t, e) => t + (e as { cost_usd: number }).cost_usd, 0);
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(10);
    expect(spent).toBeLessThanOrEqual(0.0005);
    expect(tc.events().some((e) => e.type === 'limit.hit' && (e as { limit: string }).limit === 'cost')).toBe(true);
  });

  it('a token limit stops the case with the plan action', async () => {
    tc = await openTestCase({ plan: (p) => ({ ...p, limits: { ...p.limits, max_tokens: 500 } }) });
    const res = await fetch(`${tc.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${tc.creds.modelKey}` }, body: JSON.stringify({ messages: [ticket], tools }) });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('agentrt_limit');
    expect(tc.events().find((e) => e.type === 'limit.hit')).toMatchObject({ limit: 'tokens', max: 500 });
    expect(tc.stops[0]?.reason).toBe('limit');
  });

  it('injects a planned model fault as the upstream status', async () => {
    // No model.retry and no model_failed rule: the agent sees the upstream's status and the case goes on.
    tc = await openTestCase({ plan: (p) => ({ ...p, model: { ...p.model, retry: undefined }, stop_rules: p.stop_rules.filter((r) => r.trigger !== 'model_failed') }), faults: [{ target: 'model', kind: 'http_500', when: { nth: 1 } }] });
    const post = () => fetch(`${tc!.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${tc!.creds.modelKey}` }, body: JSON.stringify({ messages: [ticket] }) });
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(200);
    expect(tc.events().find((e) => e.type === 'fault.injected')).toMatchObject({ target: 'model', kind: 'http_500' });
  });
});

describe('model retry policy (the plan, not the prompt)', () => {
  const post = (t: TestCase) =>
    fetch(`${t.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${t.creds.modelKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [ticket], tools }) });

  it('retries a failing upstream with backoff before the agent sees anything, and records each fault and retry', async () => {
    tc = await openTestCase({
      plan: (p) => ({ ...p, model: { ...p.model, retry: { max_attempts: 3, backoff_ms: 1, on: ['error', 'rate_limit', 'timeout'] } } }),
      faults: [{ target: 'model', kind: 'http_500', when: { nth: 1 } }, { target: 'model', kind: 'http_429', when: { nth: 2 } }],
    });
    const res = await post(tc);
    expect(res.status).toBe(200);
    const kinds = tc.events().filter((e) => ['fault.injected', 'retry', 'model.call'].includes(e.type)).map((e) => e.type);
    expect(kinds).toEqual(['fault.injected', 'retry', 'fault.injected', 'retry', 'model.call']);
    expect(tc.events().filter((e) => e.type === 'retry').map((e) => (e as { delay_ms: number }).delay_ms)).toEqual([1, 2]);
    expect(tc.stops).toEqual([]);
  });

  it('when the retries are spent the model_failed stop rule decides, with the context in the escalation', async () => {
    tc = await openTestCase({
      plan: (p) => ({
        ...p,
        model: { ...p.model, retry: { max_attempts: 2, backoff_ms: 1, on: ['error'] } },
        stop_rules: [...p.stop_rules, { name: 'model-outage', trigger: 'model_failed', category: 'tool_failure', action: 'escalate' }],
      }),
      faults: [{ target: 'model', kind: 'http_500', when: 'always' }],
    });
    const res = await post(tc);
    expect(res.status).toBe(500);
    expect(tc.events().filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(tc.events().find((e) => e.type === 'stop_rule')).toMatchObject({ rule: 'model-outage', trigger: 'model_failed', detail: expect.stringContaining('after 2 attempt(s)') });
    expect(tc.events().find((e) => e.type === 'escalation')).toMatchObject({ by: 'runtime', category: 'tool_failure' });
    expect(tc.stops[0]).toMatchObject({ reason: 'escalated' });
  });

  it('a failure the policy does not list goes straight to the agent, unretried', async () => {
    tc = await openTestCase({ plan: (p) => ({ ...p, model: { ...p.model, retry: { max_attempts: 3, backoff_ms: 1, on: ['error'] } } }), faults: [{ target: 'model', kind: 'http_429', when: 'always' }] });
    expect((await post(tc)).status).toBe(429);
    expect(tc.events().filter((e) => e.type === 'retry')).toHaveLength(0);
  });
});
