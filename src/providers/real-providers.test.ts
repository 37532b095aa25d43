// The real providers behind the proxy, against local fake upstreams in the exact wire formats, with the official
// openai and @anthropic-ai/sdk clients as callers: metered tokens and dollars equal what the provider reported.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { openTestCase, type TestCase } from '../test-helpers/gateway-case.js';
import { fakeAnthropic, fakeOpenAI, type FakeServer } from '../test-helpers/fake-upstreams.js';
import { createProvider } from './index.js';
import type { ModelSpec } from '../plan/schema.js';

const CANARY = 'sk-live-CANARY-7f3a9c2e5b1d4f60a8e2';
let tc: TestCase | undefined;
let fake: FakeServer | undefined;
afterEach(async () => {
  await tc?.close();
  await fake?.close();
  tc = fake = undefined;
});

async function caseWith(model: ModelSpec): Promise<TestCase> {
  const provider = createProvider(model, { CANARY_KEY: CANARY }, { planDir: '.' });
  return openTestCase({ plan: (p) => ({ ...p, model }), provider, secrets: [CANARY] });
}
const ticket = { role: 'user' as const, content: 'Ticket T-1001 from priya@northwind.example: forgot password' };
const modelCall = (t: TestCase) => t.events().find((e) => e.type === 'model.call') as unknown as { usage: Record<string, number>; cost_usd: number; route: string; error?: string };

describe('openai provider', () => {
  const model = (url: string): ModelSpec => ({ provider: 'openai', name: 'gpt-4o-mini', base_url: url, api_key_env: 'CANARY_KEY', max_tokens: 1024, prices: { input_per_mtok: 0.15, output_per_mtok: 0.6, cache_read_per_mtok: 0.075 } });

  it('meters cached prompt tokens exactly (prompt_tokens include cached ones), and swaps in the real key', async () => {
    fake = await fakeOpenAI();
    tc = await caseWith(model(fake.url));
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    const res = await client.chat.completions.create({ model: 'x', messages: [ticket] });
    expect((res.choices[0]?.message.tool_calls?.[0] as { function: { name: string } } | undefined)?.function.name).toBe('crm__get_account');
    expect(modelCall(tc).usage).toEqual({ input_tokens: 176, output_tokens: 25, cache_read_tokens: 1024, cache_write_tokens: 0 });
    // 176 × 0.15 + 25 × 0.6 + 1024 × 0.075 = 26.4 + 15 + 76.8 = 118.2 per million
    expect(modelCall(tc).cost_usd).toBeCloseTo(118.2e-6, 12);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(fake.requests[0]?.body.model).toBe('gpt-4o-mini');
  });

  it('streams through: always asks upstream for usage, drops the usage chunk the agent did not ask for, bills it', async () => {
    fake = await fakeOpenAI();
    tc = await caseWith(model(fake.url));
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    const stream = await client.chat.completions.create({ model: 'x', messages: [ticket], stream: true });
    let args = '';
    let usageChunks = 0;
    for await (const chunk of stream) {
      if (chunk.usage) usageChunks++;
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    }
    expect(args).toBe('{"email":"priya@northwind.example"}');
    expect(usageChunks).toBe(0);
    expect(fake.requests[0]?.body.stream_options).toEqual({ include_usage: true });
    expect(modelCall(tc).usage).toEqual({ input_tokens: 176, output_tokens: 25, cache_read_tokens: 1024, cache_write_tokens: 0 });
  });

  it('openai-compatible servers without usage are estimated, never $0', async () => {
    fake = await fakeOpenAI({ omitUsage: true });
    tc = await caseWith({ ...model(fake.url), provider: 'openai-compatible', name: 'llama3' });
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    await client.chat.completions.create({ model: 'x', messages: [ticket] });
    expect(modelCall(tc).usage.input_tokens).toBeGreaterThan(0);
    expect(modelCall(tc).cost_usd).toBeGreaterThan(0);
  });
});

describe('anthropic provider', () => {
  const model = (url: string): ModelSpec => ({ provider: 'anthropic', name: 'claude-sonnet-4-5', base_url: url, api_key_env: 'CANARY_KEY', max_tokens: 1024, prices: { input_per_mtok: 3, output_per_mtok: 15, cache_read_per_mtok: 0.3, cache_write_per_mtok: 3.75 } });
  // 50 × 3 + 40 × 15 + 2000 × 0.3 + 300 × 3.75 = 150 + 600 + 600 + 1125 = 2475 per million
  const expectedUsage = { input_tokens: 50, output_tokens: 40, cache_read_tokens: 2000, cache_write_tokens: 300 };

  it('translates an OpenAI-format call both ways, tool use included, and meters cache reads/writes apart', async () => {
    fake = await fakeAnthropic();
    tc = await caseWith(model(fake.url));
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    const res = await client.chat.completions.create({
      model: 'x',
      messages: [{ role: 'system', content: 'sys' }, ticket, { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'kb__search', arguments: '{"query":"x"}' } }] }, { role: 'tool', tool_call_id: 't1', content: '{"ok":true}' }],
      tools: [{ type: 'function', function: { name: 'kb__search', parameters: { type: 'object' } } }],
    });
    expect(res.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: 'Let me look that up.', tool_calls: [{ id: 'toolu_01A09q90qw90lq917835lq9', function: { name: 'crm__get_account', arguments: '{"email":"priya@northwind.example"}' } }] } });
    const sent = fake.requests[0]!;
    expect(sent.headers['x-api-key']).toBe(CANARY);
    expect(sent.body).toMatchObject({ model: 'claude-sonnet-4-5', system: 'sys', tools: [{ name: 'kb__search', input_schema: { type: 'object' } }] });
    expect((sent.body.messages as Array<{ role: string; content: Array<{ type: string }> }>).map((m) => [m.role, m.content.map((c) => c.type).join('+')])).toEqual([['user', 'text'], ['assistant', 'tool_use'], ['user', 'tool_result']]);
    expect(modelCall(tc).usage).toEqual(expectedUsage);
    expect(modelCall(tc).cost_usd).toBeCloseTo(2475e-6, 12);
  });

  it('serves the official Anthropic client on /v1/messages, streaming usage totals replacing earlier ones', async () => {
    fake = await fakeAnthropic();
    tc = await caseWith(model(fake.url));
    const client = new Anthropic({ baseURL: tc.base, apiKey: tc.creds.modelKey });
    const msg = await client.messages.create({ model: 'x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    const stream = client.messages.stream({ model: 'x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(40);
    const calls = tc.events().filter((e) => e.type === 'model.call') as Array<{ usage: unknown; route: string; stream: boolean }>;
    expect(calls.map((c) => [c.route, c.stream, c.usage])).toEqual([['anthropic.messages', false, expectedUsage], ['anthropic.messages', true, expectedUsage]]);
  });

  it('refuses the Anthropic route for a model that does not speak it, naming the alternative', async () => {
    tc = await openTestCase();
    const res = await fetch(`${tc.base}/v1/messages`, { method: 'POST', headers: { 'x-api-key': tc.creds.modelKey }, body: JSON.stringify({ messages: [] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/POST \/v1\/chat\/completions/);
  });
});

describe('keys', () => {
  it('a missing key or price is an error before any call; the real key never reaches the trace', async () => {
    expect(() => createProvider({ provider: 'openai', name: 'gpt-4o-mini', api_key_env: 'NOPE_KEY', max_tokens: 10 }, {}, { planDir: '.' })).toThrow(/NOPE_KEY is not set/);
    expect(() => createProvider({ provider: 'openai', name: 'unpriced-model', api_key_env: 'K', max_tokens: 10 }, { K: 'x' }, { planDir: '.' })).toThrow(/has no price/);
    fake = await fakeOpenAI();
    tc = await caseWith({ provider: 'openai', name: 'gpt-4o-mini', base_url: fake.url, api_key_env: 'CANARY_KEY', max_tokens: 1024 });
    const client = new OpenAI({ baseURL: `${tc.base}/v1`, apiKey: tc.creds.modelKey });
    await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: `my key is ${CANARY}` }] });
    expect(readFileSync(tc.traceFile, 'utf8')).not.toContain(CANARY);
  });
});
