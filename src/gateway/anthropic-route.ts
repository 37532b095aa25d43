// POST /v1/messages: the Anthropic Messages API for agents written on the official Anthropic client. Passed
// through untranslated to an `anthropic` provider (streaming included); any other provider is a format pair
// agentrt does not translate, and says so.
import type { ServerResponse } from 'node:http';
import type { AnthropicProvider } from '../providers/anthropic.js';
import { isHit } from '../policy/limits.js';
import type { Usage } from '../trace/events.js';
import { sendJson } from './http.js';
import { incremental } from './model-proxy.js';
import type { CaseState } from './session.js';
import { hitLimit } from './stops.js';
import { checkSpent, reserveCall, settleCall } from './meter.js';

const anthropicError = (res: ServerResponse, status: number, type: string, message: string) => sendJson(res, status, { type: 'error', error: { type, message } });

export async function handleMessages(state: CaseState, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const s = state.session;
  const provider = s.provider as Partial<AnthropicProvider>;
  if (s.provider.id !== 'anthropic' || !provider.passthrough) {
    return anthropicError(res, 400, 'invalid_request_error', `this run's model is ${s.plan.model.provider}/${s.plan.model.name}, which does not speak the Anthropic Messages API. Use the OpenAI chat-completions route (OPENAI_BASE_URL, POST /v1/chat/completions), or set model.provider: anthropic.`);
  }
  if (state.stopped) return anthropicError(res, 429, 'rate_limit_error', `agentrt stopped this case: ${state.stop?.detail ?? 'limit reached'}`);
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const stepHit = state.budget.step();
  if (stepHit) {
    hitLimit(state, stepHit);
    return anthropicError(res, 429, 'rate_limit_error', `agentrt limit: ${stepHit.limit} ${stepHit.max} reached`);
  }
  state.modelCalls++;
  const maxOut = Math.min(Number(body.max_tokens ?? s.plan.model.max_tokens), s.plan.model.max_tokens);
  const metered = reserveCall(state, Math.ceil(JSON.stringify([body.system ?? '', messages, body.tools ?? []]).length / 2), maxOut);
  if (isHit(metered)) return anthropicError(res, 429, 'rate_limit_error', `agentrt limit: ${metered.limit} would exceed ${metered.max}`);
  const stream = body.stream === true;
  const started = Date.now();
  const request = incremental(state.lastMessages, messages);
  const { messages: _m, ...params } = body;
  let result: { response: unknown; usage: Usage };
  try {
    if (stream) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    result = await provider.passthrough({ ...body, max_tokens: maxOut }, { ...(stream ? { onEvent: (raw: string) => void res.write(raw) } : {}) });
  } catch (err) {
    state.budget.release(metered.reservation);
    const message = err instanceof Error ? err.message : String(err);
    s.trace.write({ type: 'model.call', call_id: `mc-${state.modelCalls}`, route: 'anthropic.messages', provider: 'anthropic', model: s.plan.model.name, stream, request: { ...request, params }, response: null, usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 }, cost_usd: 0, latency_ms: Date.now() - started, error: message });
    if (res.headersSent) return void res.end();
    return anthropicError(res, (err as { status?: number }).status ?? 502, 'api_error', `upstream error: ${message}`);
  }
  const u = result.usage;
  const cost = settleCall(state, metered, u);
  state.lastMessages = messages;
  s.trace.write({ type: 'model.call', call_id: `mc-${state.modelCalls}`, route: 'anthropic.messages', provider: 'anthropic', model: s.plan.model.name, stream, request: { ...request, params }, response: result.response, usage: u, cost_usd: cost, latency_ms: Date.now() - started });
  checkSpent(state);
  if (stream) res.end();
  else sendJson(res, 200, result.response);
}
