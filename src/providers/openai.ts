// `openai` and `openai-compatible` providers: OpenAI chat completions over plain fetch. Metering rule: OpenAI's
// prompt_tokens already INCLUDE cached tokens, so input = prompt − cached and cache_read = cached.
import type { Usage } from '../trace/events.js';
import type { ChatChunk, ChatRequest, ChatResponse, Provider, ProviderResult, StreamHandle } from './types.js';
import { estimateTokens, postJson, readSse, UpstreamError } from './upstream.js';

type OpenAIUsage = { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | null | undefined;

export function openAiUsage(u: OpenAIUsage): Usage | undefined {
  if (!u || typeof u.prompt_tokens !== 'number') return undefined;
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return { input_tokens: u.prompt_tokens - cached, output_tokens: u.completion_tokens ?? 0, cache_read_tokens: cached, cache_write_tokens: 0 };
}

function estimate(req: ChatRequest, text: unknown): Usage {
  return { input_tokens: estimateTokens(req.messages) + (req.tools ? estimateTokens(req.tools) : 0), output_tokens: estimateTokens(text), cache_read_tokens: 0, cache_write_tokens: 0 };
}

/** Rebuilds a complete response from streamed chunks (for the trace). */
function assemble(chunks: ChatChunk[], model: string): ChatResponse {
  let content = '';
  let finish: ChatResponse['choices'][number]['finish_reason'] = 'stop';
  const calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  for (const c of chunks) {
    for (const choice of c.choices as Array<{ delta?: { content?: string; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> }; finish_reason?: string | null }>) {
      if (choice.delta?.content) content += choice.delta.content;
      for (const d of choice.delta?.tool_calls ?? []) {
        const t = (calls[d.index] ??= { id: d.id ?? '', type: 'function', function: { name: '', arguments: '' } });
        if (d.id) t.id = d.id;
        if (d.function?.name) t.function.name += d.function.name;
        if (d.function?.arguments) t.function.arguments += d.function.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason as typeof finish;
    }
  }
  const first = chunks[0];
  return {
    id: String(first?.id ?? 'chatcmpl-stream'),
    object: 'chat.completion',
    created: Number(first?.created ?? 0),
    model: String(first?.model ?? model),
    choices: [{ index: 0, message: { role: 'assistant', content: content || null, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: finish }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

export function createOpenAIProvider(opts: { id: 'openai' | 'openai-compatible'; baseUrl: string; apiKey: string; model: string }): Provider {
  const url = `${opts.baseUrl.replace(/\/$/, '')}/chat/completions`;
  const headers = { authorization: `Bearer ${opts.apiKey}` };
  return {
    id: opts.id,
    async complete(req, { signal }) {
      const res = await postJson(url, headers, { ...req, model: opts.model, stream: false }, opts.apiKey, signal);
      const response = (await res.json()) as ChatResponse;
      const usage = openAiUsage(response.usage);
      if (usage) return { response, usage };
      return { response, usage: estimate(req, response.choices?.[0]?.message), estimated: true };
    },
    async stream(req, { signal }): Promise<StreamHandle> {
      // Always ask upstream for usage; the proxy drops the usage-only chunk if the agent did not ask for it.
      const res = await postJson(url, headers, { ...req, model: opts.model, stream: true, stream_options: { include_usage: true } }, opts.apiKey, signal);
      if (!res.body) throw new UpstreamError(502, 'upstream sent no stream body');
      const seen: ChatChunk[] = [];
      let usage: Usage | undefined;
      let done!: (r: ProviderResult) => void;
      const result = new Promise<ProviderResult>((r) => (done = r));
      const finish = () => {
        const response = assemble(seen, opts.model);
        // A cancelled stream is still billed: what upstream reported, else an estimate of what was produced.
        if (usage) done({ response, usage });
        else done({ response, usage: estimate(req, response.choices[0]?.message), estimated: true });
      };
      const body = res.body;
      async function* chunks(): AsyncGenerator<ChatChunk> {
        try {
          for await (const { data } of readSse(body)) {
            if (data === '[DONE]') break;
            const chunk = JSON.parse(data) as ChatChunk;
            seen.push(chunk);
            usage = openAiUsage(chunk.usage as OpenAIUsage) ?? usage;
            yield chunk;
          }
        } finally {
          finish();
        }
      }
      return { chunks: chunks(), result };
    },
  };
}
