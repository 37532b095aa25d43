// The contract between the model proxy and an upstream model. The proxy speaks the OpenAI chat-completions wire
// format to the sandbox; a provider turns one such request into one response plus exact usage.
import type { Usage } from '../trace/events.js';

/** OpenAI chat-completions request body (only the fields agentrt reads are typed). */
export interface ChatRequest {
  model?: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  tool_choice?: unknown;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ContentPart[] }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string | ContentPart[] };

export interface ContentPart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** OpenAI chat-completions response body. */
export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[]; refusal?: null };
    finish_reason: 'stop' | 'tool_calls' | 'length' | 'content_filter';
    logprobs?: null;
  }>;
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
}

export interface ProviderResult {
  response: ChatResponse;
  /** Normalised usage: input excludes cache reads/writes (priced separately). */
  usage: Usage;
  /** True when the upstream reported no usage and it was estimated from text length. */
  estimated?: boolean;
}

/** One OpenAI `chat.completion.chunk` as it goes to the agent. */
export type ChatChunk = { id: string; object: 'chat.completion.chunk'; choices: unknown[]; usage?: unknown; [k: string]: unknown };

export interface StreamHandle {
  chunks: AsyncIterable<ChatChunk>;
  /** Resolves after the stream ends (or is cancelled) with the assembled response and the usage to bill. */
  result: Promise<ProviderResult>;
}

export interface Provider {
  /** `offline`, `openai`, `anthropic`, `openai-compatible`, `replay`. */
  readonly id: string;
  complete(request: ChatRequest, options: { signal?: AbortSignal }): Promise<ProviderResult>;
  /** Streaming passthrough, where the upstream speaks the same format. Absent: the proxy streams a complete() result. */
  stream?(request: ChatRequest, options: { signal?: AbortSignal }): Promise<StreamHandle>;
}
