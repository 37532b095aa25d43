// OpenAI chat-completions ⇄ Anthropic Messages, both ways, tool use included. Metering rule: Anthropic's
// input_tokens EXCLUDE cache reads and cache writes, which are reported (and priced) separately.
import type { Usage } from '../trace/events.js';
import type { ChatMessage, ChatRequest, ChatResponse, ContentPart } from './types.js';

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown } | { type: 'tool_result'; tool_use_id: string; content: string };
type AMessage = { role: 'user' | 'assistant'; content: Block[] };

const text = (c: string | ContentPart[] | null | undefined) => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p.text ?? '').join('') : '');

export function toAnthropic(req: ChatRequest, model: string, maxTokens: number): Record<string, unknown> {
  const system = req.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => text(m.content)).join('\n\n');
  const messages: AMessage[] = [];
  // Anthropic needs alternating roles: consecutive same-role turns (e.g. several tool results) are merged.
  const push = (role: AMessage['role'], blocks: Block[]) => {
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const m of req.messages as ChatMessage[]) {
    if (m.role === 'user') push('user', [{ type: 'text', text: text(m.content) }]);
    else if (m.role === 'tool') push('user', [{ type: 'tool_result', tool_use_id: m.tool_call_id, content: text(m.content) }]);
    else if (m.role === 'assistant') {
      const blocks: Block[] = [];
      if (m.content) blocks.push({ type: 'text', text: m.content });
      for (const tc of m.tool_calls ?? []) {
        let input: unknown = {};
        try {
          input = JSON.parse(tc.function.arguments || '{}');
        } catch {
          input = { _raw: tc.function.arguments };
        }
        blocks.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input });
      }
      push('assistant', blocks);
    }
  }
  const out: Record<string, unknown> = { model, max_tokens: maxTokens, messages };
  if (system) out.system = system;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.tools?.length) out.tools = req.tools.map((t) => ({ name: t.function.name, description: t.function.description ?? '', input_schema: t.function.parameters ?? { type: 'object' } }));
  const choice = req.tool_choice as string | { function?: { name?: string } } | undefined;
  if (choice === 'required') out.tool_choice = { type: 'any' };
  else if (choice === 'none') out.tool_choice = { type: 'none' };
  else if (typeof choice === 'object' && choice?.function?.name) out.tool_choice = { type: 'tool', name: choice.function.name };
  else if (choice === 'auto') out.tool_choice = { type: 'auto' };
  return out;
}

export type AnthropicUsage = { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null };

export function anthropicUsage(u: AnthropicUsage | undefined): Usage {
  return { input_tokens: u?.input_tokens ?? 0, output_tokens: u?.output_tokens ?? 0, cache_read_tokens: u?.cache_read_input_tokens ?? 0, cache_write_tokens: u?.cache_creation_input_tokens ?? 0 };
}

const FINISH: Record<string, ChatResponse['choices'][number]['finish_reason']> = { end_turn: 'stop', stop_sequence: 'stop', tool_use: 'tool_calls', max_tokens: 'length', pause_turn: 'stop', refusal: 'content_filter' };

export function fromAnthropic(resp: { id: string; model: string; content: Block[]; stop_reason: string | null; usage: AnthropicUsage }): ChatResponse {
  const content = resp.content.filter((b): b is Extract<Block, { type: 'text' }> => b.type === 'text').map((b) => b.text).join('');
  const calls = resp.content.filter((b): b is Extract<Block, { type: 'tool_use' }> => b.type === 'tool_use').map((b) => ({ id: b.id, type: 'function' as const, function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }));
  const u = anthropicUsage(resp.usage);
  const prompt = u.input_tokens + u.cache_read_tokens + u.cache_write_tokens;
  return {
    id: resp.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: resp.model,
    choices: [{ index: 0, message: { role: 'assistant', content: content || null, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: FINISH[resp.stop_reason ?? 'end_turn'] ?? 'stop' }],
    usage: { prompt_tokens: prompt, completion_tokens: u.output_tokens, total_tokens: prompt + u.output_tokens, prompt_tokens_details: { cached_tokens: u.cache_read_tokens } },
  };
}
