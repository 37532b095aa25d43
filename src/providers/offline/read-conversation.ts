// What the offline model can know: only the request — the ticket in the user message, the tools offered, and the
// results of the tool calls it made so far. Never the case's expected outcome.
import type { ChatMessage, ChatRequest } from '../types.js';

export interface SeenCall {
  name: string;
  args: Record<string, unknown>;
  ok: boolean;
  result: unknown;
  error?: string;
}

export interface Conversation {
  ticket: string;
  ticketId?: string;
  email?: string;
  tools: Set<string>;
  calls: SeenCall[];
}

const text = (c: ChatMessage['content'] | null | undefined): string =>
  typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p.text ?? '').join('') : '';

export function readConversation(req: ChatRequest): Conversation {
  const user = req.messages.find((m) => m.role === 'user');
  const ticket = text(user?.content);
  const pending = new Map<string, { name: string; args: Record<string, unknown> }>();
  const calls: SeenCall[] = [];
  for (const m of req.messages) {
    if (m.role === 'assistant') {
      for (const tc of m.tool_calls ?? []) {
        let args: Record<string, unknown> = {};
        try {
          args = JSON.parse(tc.function.arguments || '{}') as Record<string, unknown>;
        } catch {
          /* a malformed call is remembered with no args */
        }
        pending.set(tc.id, { name: tc.function.name.replace('__', '.'), args });
      }
    } else if (m.role === 'tool') {
      const call = pending.get(m.tool_call_id);
      if (!call) continue;
      let parsed: { ok?: boolean; result?: unknown; error?: { message?: string } | string } = {};
      try {
        parsed = JSON.parse(text(m.content)) as typeof parsed;
      } catch {
        parsed = { ok: false, error: 'unreadable tool result' };
      }
      // JSON endpoint results are {ok, result|error}; MCP text content is the bare result, or {code, message} on error.
      const enveloped = parsed && typeof parsed === 'object' && 'ok' in parsed;
      const bareError = !enveloped && parsed && typeof parsed === 'object' && 'code' in parsed && 'message' in parsed && Object.keys(parsed).length === 2;
      const error = enveloped ? (typeof parsed.error === 'string' ? parsed.error : parsed.error?.message) : bareError ? String((parsed as { message: unknown }).message) : undefined;
      const ok = enveloped ? parsed.ok !== false : !bareError;
      calls.push({ ...call, ok, result: enveloped ? parsed.result : parsed, ...(error ? { error } : {}) });
    }
  }
  const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(ticket)?.[0];
  const ticketId = /\bT-\d{3,6}\b/.exec(ticket)?.[0];
  return {
    ticket,
    ...(ticketId ? { ticketId } : {}),
    ...(email ? { email } : {}),
    tools: new Set((req.tools ?? []).map((t) => t.function.name.replace('__', '.'))),
    calls,
  };
}

export const called = (c: Conversation, name: string) => c.calls.filter((x) => x.name === name);
export const lastOf = (c: Conversation, name: string) => called(c, name).at(-1);
