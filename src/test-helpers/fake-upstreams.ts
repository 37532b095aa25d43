// Local fake servers that speak the providers' exact wire formats (shapes recorded from real responses), so the
// real providers are tested without a network. They record what they were sent, including the key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  url: string;
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function serve(handler: (body: Record<string, unknown>, res: http.ServerResponse) => void): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    handler(body, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

const sse = (res: http.ServerResponse, events: Array<[string | null, unknown]>) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const [event, data] of events) res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  res.end();
};

/** OpenAI chat completions: a tool call, with 1200 prompt tokens of which 1024 cached, 25 completion tokens. */
export function fakeOpenAI(opts: { omitUsage?: boolean } = {}): Promise<FakeServer> {
  const usage = { prompt_tokens: 1200, completion_tokens: 25, total_tokens: 1225, prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } };
  const call = { id: 'call_Abc123', type: 'function', function: { name: 'crm__get_account', arguments: '{"email":"priya@northwind.example"}' } };
  return serve((body, res) => {
    const base = { id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', created: 1741569952, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_06737a9306', service_tier: 'default' };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [call], refusal: null, annotations: [] }, logprobs: null, finish_reason: 'tool_calls' }], ...(opts.omitUsage ? {} : { usage }) }));
    }
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ ...base, object: 'chat.completion.chunk', choices, ...extra });
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    sse(res, [
      [null, chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }], refusal: null }, logprobs: null, finish_reason: null }], wantsUsage ? { usage: null } : {})],
      [null, chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"email":"priya@' } }] }, logprobs: null, finish_reason: null }])],
      [null, chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'northwind.example"}' } }] }, logprobs: null, finish_reason: null }])],
      [null, chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }])],
      ...(wantsUsage ? [[null, chunk([], { usage })] as [null, unknown]] : []),
      [null, '[DONE]'],
    ]);
  });
}

/** Anthropic Messages: a tool_use turn; 50 input + 2000 cache read + 300 cache write, 40 output tokens. */
export function fakeAnthropic(): Promise<FakeServer> {
  const usage = { input_tokens: 50, cache_creation_input_tokens: 300, cache_read_input_tokens: 2000, output_tokens: 40, service_tier: 'standard' };
  return serve((body, res) => {
    const message = { id: 'msg_01Aq9w938a90dw8q', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929' };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ...message, content: [{ type: 'text', text: 'Let me look that up.' }, { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'crm__get_account', input: { email: 'priya@northwind.example' } }], stop_reason: 'tool_use', stop_sequence: null, usage }));
    }
    sse(res, [
      ['message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me look that up.' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'crm__get_account', input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"email": "priya@northwind.example"}' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 40 } }],
      ['message_stop', { type: 'message_stop' }],
    ]);
  });
}
