// The offline baseline model: a deterministic stand-in for an LLM, so agentrt runs with no API key and no network.
// It is not a language model. It reads only the request (messages and tool schemas) and answers in the exact
// OpenAI chat-completions format; token usage is estimated from text length (≈ 4 characters a token).
import { createHash } from 'node:crypto';
import type { ChatRequest, ChatResponse, Provider, ProviderResult } from './types.js';
import { planNext } from './offline/plan-next.js';
import { readConversation } from './offline/read-conversation.js';

const tokens = (v: unknown) => Math.max(1, Math.ceil((typeof v === 'string' ? v : JSON.stringify(v ?? '')).length / 4));
const shortHash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12);

export function offlineComplete(req: ChatRequest, model: string): ProviderResult {
  const convo = readConversation(req);
  const action = planNext(convo);
  const id = `chatcmpl-offline-${shortHash([req.messages.length, convo.ticket])}`;
  let message: ChatResponse['choices'][number]['message'];
  let finish: ChatResponse['choices'][number]['finish_reason'];
  if ('final' in action) {
    message = { role: 'assistant', content: action.final, refusal: null };
    finish = 'stop';
  } else {
    const name = action.tool.replace('.', '__');
    const args = JSON.stringify(action.args);
    message = { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: `call_${shortHash([req.messages.length, name, args])}`, type: 'function', function: { name, arguments: args } }] };
    finish = 'tool_calls';
  }
  const prompt = tokens(req.messages) + tokens(req.tools ?? []);
  const completion = tokens(message.content ?? message.tool_calls);
  const response: ChatResponse = {
    id,
    object: 'chat.completion',
    created: 1_767_225_600, // fixed: the same request always gives the same response
    model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: 0 } },
  };
  return { response, usage: { input_tokens: prompt, output_tokens: completion, cache_read_tokens: 0, cache_write_tokens: 0 } };
}

export function createOfflineProvider(opts: { name?: string } = {}): Provider {
  const model = opts.name ?? 'baseline-v1';
  return { id: 'offline', complete: async (req) => offlineComplete(req, model) };
}
