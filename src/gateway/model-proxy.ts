// The model proxy: OpenAI chat-completions for the sandbox (JSON and SSE), with the fake per-case key swapped for
// the provider behind it, metering, reserve-before/settle-after budgets, planned model faults, and every call
// recorded incrementally (only what is new since the previous call), so traces grow linearly.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ChatRequest, ChatResponse, Provider, ProviderResult } from '../providers/types.js';
import { isHit } from '../policy/limits.js';
import { pickFault, seededRandom } from '../policy/faults.js';
import { canonicalJson } from '../tools/fixture-store.js';
import type { Usage } from '../trace/events.js';
import { openAiError, sendJson } from './http.js';
import type { CaseState } from './session.js';
import { applyStopRule, hitLimit } from './stops.js';
import { ruleFor } from '../policy/stop-rules.js';
import { checkSpent, reserveCall, settleCall } from './meter.js';

// A conservative input bound for the reservation: real tokenizers average ~4 characters a token on English, so
// 2 characters a token over-reserves, and the settle step then returns the difference.
const worstCaseTokens = (value: unknown) => Math.ceil(JSON.stringify(value ?? '').length / 2);
const hash = (v: unknown) => createHash('sha256').update(canonicalJson(v)).digest('hex').slice(0, 16);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Splits the request into what the trace has already seen (a prefix) and what is new. */
export function incremental(previous: unknown[], messages: unknown[]): { prefix_len: number; prefix_hash: string | null; new_messages: unknown[] } {
  let n = 0;
  while (n < previous.length && n < messages.length && canonicalJson(previous[n]) === canonicalJson(messages[n])) n++;
  return { prefix_len: n, prefix_hash: n ? hash(messages.slice(0, n)) : null, new_messages: messages.slice(n) };
}

export async function handleChatCompletion(state: CaseState, body: ChatRequest, res: ServerResponse): Promise<void> {
  const s = state.session;
  const plan = s.plan;
  if (state.stopped) return openAiError(res, 429, `agentrt stopped this case: ${state.stop?.detail ?? 'limit reached'}`, 'agentrt_limit', 'rate_limit_error');
  if (!Array.isArray(body.messages)) return openAiError(res, 400, '`messages` must be an array', 'invalid_messages');
  const stepHit = state.budget.step();
  if (stepHit) {
    hitLimit(state, stepHit);
    return openAiError(res, 429, `agentrt limit: ${stepHit.limit} ${stepHit.max} reached`, 'agentrt_limit', 'rate_limit_error');
  }
  state.modelCalls++;
  const callId = `mc-${state.modelCalls}`;
  const maxOut = Math.min(body.max_completion_tokens ?? body.max_tokens ?? plan.model.max_tokens, plan.model.max_tokens);
  const request = incremental(state.lastMessages, body.messages);
  const { messages: _m, ...params } = body;
  const upstream = { ...body, model: plan.model.name, max_tokens: maxOut };
  const policy = plan.model.retry;
  let result: ProviderResult | undefined;
  let metered!: Exclude<ReturnType<typeof reserveCall>, { limit: string }>;
  // The plan's retry policy for the upstream, applied here so no agent has to know it: each failed attempt is a
  // fault or an upstream error in the trace, each retry a `retry` event, and when they are spent a `model_failed`
  // stop rule decides what happens to the case.
  for (let attempt = 1; !result; attempt++) {
    // A case stopped during the backoff (limit, stop rule, a person): no further upstream call on its behalf.
    if (state.stopped) return openAiError(res, 429, `agentrt stopped this case: ${state.stop?.detail ?? 'stopped'}`, 'agentrt_limit', 'rate_limit_error');
    const nth = (state.callsPerTarget.get('model') ?? 0) + 1;
    state.callsPerTarget.set('model', nth);
    let rng = state.rngs.get('model');
    if (!rng) state.rngs.set('model', (rng = seededRandom(s.seed)));
    const fault = pickFault(s.faults, 'model', nth, rng);
    let failure: { status: number; message: string } | undefined;
    if (fault) {
      s.trace.write({ type: 'fault.injected', target: 'model', kind: fault.kind, call_id: callId });
      if (fault.kind === 'timeout') await sleep(200);
      const status = fault.kind === 'http_429' || fault.kind === 'rate_limit' ? 429 : fault.kind === 'timeout' ? 504 : 500;
      failure = { status, message: fault.message ?? `upstream model error (${status}, injected)` };
    } else {
      const reserved = reserveCall(state, worstCaseTokens(body.messages) + worstCaseTokens(body.tools), maxOut);
      if (isHit(reserved)) return openAiError(res, 429, `agentrt limit: ${reserved.limit} would exceed ${reserved.max}`, 'agentrt_limit', 'rate_limit_error');
      metered = reserved;
      const started = Date.now();
      try {
        if (body.stream && s.provider.stream) result = await streamThrough(s.provider.stream.bind(s.provider), upstream, !!body.stream_options?.include_usage, res);
        else result = await s.provider.complete(upstream, {});
        state.lastMessages = body.messages;
        record(s, body, callId, request, params, started, result.response, result.usage, settleCall(state, metered, result.usage));
        break;
      } catch (err) {
        state.budget.release(metered.reservation);
        const message = err instanceof Error ? err.message : String(err);
        record(s, body, callId, request, params, started, null, zero(), 0, message);
        if (res.headersSent) return void res.end();
        failure = { status: (err as { status?: number }).status ?? 502, message: `upstream error: ${message}` };
      }
    }
    const kind = failure.status === 429 ? 'rate_limit' : failure.status === 504 ? 'timeout' : failure.status >= 500 ? 'error' : undefined;
    if (policy && kind && attempt < policy.max_attempts && policy.on.includes(kind)) {
      const delay = policy.backoff_ms * 2 ** (attempt - 1);
      s.trace.write({ type: 'retry', tool: 'model', call_id: callId, attempt: attempt + 1, error: failure.message, delay_ms: delay });
      await sleep(delay);
      continue;
    }
    const rule = kind ? ruleFor(plan, 'model_failed') : undefined;
    if (rule) applyStopRule(state, rule, `the model upstream failed after ${attempt} attempt(s): ${failure.message}`);
    const type = failure.status === 429 ? 'rate_limit_error' : 'server_error';
    return openAiError(res, failure.status, failure.message, fault ? `upstream_${failure.status}` : 'upstream_error', type);
  }
  const { response } = result!;
  checkSpent(state);
  if (res.headersSent) return; // streamed through already
  if (body.stream) writeSse(res, response, !!body.stream_options?.include_usage);
  else sendJson(res, 200, response);
}

function record(s: CaseState['session'], body: ChatRequest, callId: string, request: ReturnType<typeof incremental>, params: Record<string, unknown>, started: number, response: unknown, usage: Usage, cost: number, error?: string): void {
  s.trace.write({ type: 'model.call', call_id: callId, route: 'openai.chat', provider: s.provider.id, model: s.plan.model.name, stream: !!body.stream, request: { ...request, params }, response, usage, cost_usd: cost, latency_ms: Date.now() - started, ...(error ? { error } : {}) });
}

/** Passes upstream chunks to the agent as they come; the usage-only chunk goes only to agents that asked for it. */
async function streamThrough(stream: NonNullable<Provider['stream']>, body: ChatRequest, agentWantsUsage: boolean, res: ServerResponse): Promise<ProviderResult> {
  const controller = new AbortController();
  res.on('close', () => controller.abort()); // the agent hung up: stop upstream; what was used is still billed
  const handle = await stream(body, { signal: controller.signal });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  try {
    for await (const chunk of handle.chunks) {
      const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage;
      if (usageOnly && !agentWantsUsage) continue; // some clients crash on a chunk they did not ask for
      res.write(`data: ${JSON.stringify(agentWantsUsage ? chunk : { ...chunk, usage: undefined })}\n\n`);
    }
    res.write('data: [DONE]\n\n');
  } catch {
    /* cancelled or broken upstream: fall through and bill what was seen */
  }
  res.end();
  return handle.result;
}

const zero = (): Usage => ({ input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 });

/** A complete response as OpenAI-shaped SSE chunks: role, content, tool_call deltas, finish, optional usage. */
export function writeSse(res: ServerResponse, r: ChatResponse, includeUsage: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id: r.id, object: 'chat.completion.chunk', created: r.created, model: r.model };
  const send = (choices: unknown[], extra: Record<string, unknown> = {}) => res.write(`data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`);
  const choice = r.choices[0]!;
  send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  if (choice.message.content) send([{ index: 0, delta: { content: choice.message.content }, finish_reason: null }]);
  choice.message.tool_calls?.forEach((tc, index) => {
    send([{ index: 0, delta: { tool_calls: [{ index, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: '' } }] }, finish_reason: null }]);
    send([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: tc.function.arguments } }] }, finish_reason: null }]);
  });
  send([{ index: 0, delta: {}, finish_reason: choice.finish_reason }]);
  if (includeUsage) send([], { usage: r.usage });
  res.write('data: [DONE]\n\n');
  res.end();
}
