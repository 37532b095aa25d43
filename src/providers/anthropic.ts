// `anthropic` provider: the Messages API over plain fetch. OpenAI-format calls (the reference agent's) are
// translated both ways; Anthropic-format calls (an agent on the official Anthropic client) pass through untranslated.
import type { Usage } from '../trace/events.js';
import type { Provider } from './types.js';
import { anthropicUsage, fromAnthropic, toAnthropic, type AnthropicUsage } from './translate-anthropic.js';
import { postJson, readSse, UpstreamError } from './upstream.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicProvider extends Provider {
  /** Anthropic format in and out (the proxy's /v1/messages route). Streams are passed through as they arrive. */
  passthrough(body: Record<string, unknown>, opts: { signal?: AbortSignal; onEvent?: (raw: string) => void }): Promise<{ response: unknown; usage: Usage }>;
}

export function createAnthropicProvider(opts: { baseUrl: string; apiKey: string; model: string }): AnthropicProvider {
  const url = `${opts.baseUrl.replace(/\/$/, '')}/v1/messages`;
  const headers = { 'x-api-key': opts.apiKey, 'anthropic-version': ANTHROPIC_VERSION };
  return {
    id: 'anthropic',
    async complete(req, { signal }) {
      const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? 1024;
      const res = await postJson(url, headers, toAnthropic(req, opts.model, maxTokens), opts.apiKey, signal);
      const body = (await res.json()) as Parameters<typeof fromAnthropic>[0];
      return { response: fromAnthropic(body), usage: anthropicUsage(body.usage) };
    },
    async passthrough(body, { signal, onEvent }) {
      const stream = body.stream === true;
      const res = await postJson(url, headers, { ...body, model: opts.model }, opts.apiKey, signal);
      if (!stream) {
        const json = (await res.json()) as { usage?: AnthropicUsage };
        return { response: json, usage: anthropicUsage(json.usage) };
      }
      if (!res.body) throw new UpstreamError(502, 'upstream sent no stream body');
      // message_start carries the input side; message_delta carries totals that REPLACE earlier values.
      let usage: AnthropicUsage = {};
      const events: unknown[] = [];
      for await (const { event, data } of readSse(res.body)) {
        onEvent?.(`event: ${event ?? 'message'}\ndata: ${data}\n\n`);
        const parsed = JSON.parse(data) as { type: string; message?: { usage?: AnthropicUsage }; usage?: AnthropicUsage };
        events.push(parsed);
        if (parsed.type === 'message_start' && parsed.message?.usage) usage = { ...parsed.message.usage };
        if (parsed.type === 'message_delta' && parsed.usage) usage = { ...usage, ...Object.fromEntries(Object.entries(parsed.usage).filter(([, v]) => v !== null && v !== undefined)) };
      }
      return { response: { stream_events: events }, usage: anthropicUsage(usage) };
    },
  };
}
