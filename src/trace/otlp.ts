// OpenTelemetry export: a run's traces as OTLP/JSON spans with the GenAI semantic conventions — one
// `invoke_agent` span per case, a `chat` span per model call and an `execute_tool` span per tool call — so a team
// can load agentrt runs into the observability stack it already has.
import { createHash } from 'node:crypto';
import type { EventOf, TraceEvent } from './events.js';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } | { arrayValue: { values: AnyValue[] } };
type Attr = { key: string; value: AnyValue };

const attr = (key: string, v: string | number | boolean | string[]): Attr => ({
  key,
  value: Array.isArray(v) ? { arrayValue: { values: v.map((s) => ({ stringValue: s })) } } : typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
});
const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

export function caseSpans(events: TraceEvent[], agentName: string) {
  const start = events.find((e): e is EventOf<'case.start'> => e.type === 'case.start');
  const end = events.find((e): e is EventOf<'case.end'> => e.type === 'case.end');
  if (!start) return [];
  const t0 = Date.parse(start.ts);
  const traceId = hex(`${start.run.run_id}/${start.case_id}/${start.attempt}`, 32);
  const rootId = hex(`${traceId}/root`, 16);
  const spans = [
    {
      traceId, spanId: rootId, name: `invoke_agent ${agentName}`, kind: 1,
      startTimeUnixNano: nanos(t0), endTimeUnixNano: nanos(t0 + (end?.duration_ms ?? 0)),
      attributes: [
        attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.agent.name', agentName), attr('gen_ai.provider.name', start.run.model.provider),
        attr('gen_ai.request.model', start.run.model.name), attr('agentrt.run.id', start.run.run_id), attr('agentrt.case.id', start.case_id),
        attr('agentrt.stop_reason', end?.stop ?? 'incomplete'), ...(end ? [attr('gen_ai.usage.input_tokens', end.usage.input_tokens), attr('gen_ai.usage.output_tokens', end.usage.output_tokens), attr('agentrt.cost_usd', end.cost_usd)] : []),
      ],
      status: { code: end && end.stop !== 'infra_error' && end.stop !== 'agent_error' ? 1 : 2 },
    },
  ];
  for (const e of events) {
    const endMs = Date.parse(e.ts);
    if (e.type === 'model.call') {
      const resp = e.response as { model?: string; choices?: Array<{ finish_reason?: string }> } | null;
      spans.push({
        traceId, spanId: hex(`${traceId}/${e.seq}`, 16), parentSpanId: rootId, name: `chat ${e.model}`, kind: 3,
        startTimeUnixNano: nanos(endMs - e.latency_ms), endTimeUnixNano: nanos(endMs),
        attributes: [
          attr('gen_ai.operation.name', 'chat'), attr('gen_ai.provider.name', e.provider), attr('gen_ai.request.model', e.model), attr('gen_ai.response.model', resp?.model ?? e.model),
          attr('gen_ai.usage.input_tokens', e.usage.input_tokens + e.usage.cache_read_tokens + e.usage.cache_write_tokens), attr('gen_ai.usage.output_tokens', e.usage.output_tokens),
          attr('gen_ai.usage.cache_read.input_tokens', e.usage.cache_read_tokens), attr('gen_ai.response.finish_reasons', (resp?.choices ?? []).map((c) => c.finish_reason ?? '')),
          attr('agentrt.cost_usd', e.cost_usd),
        ],
        status: { code: e.error ? 2 : 1 },
      } as never);
    } else if (e.type === 'tool.call') {
      spans.push({
        traceId, spanId: hex(`${traceId}/${e.seq}`, 16), parentSpanId: rootId, name: `execute_tool ${e.tool}`, kind: 1,
        startTimeUnixNano: nanos(endMs - e.latency_ms), endTimeUnixNano: nanos(endMs),
        attributes: [
          attr('gen_ai.operation.name', 'execute_tool'), attr('gen_ai.tool.name', e.tool), attr('gen_ai.tool.call.id', e.call_id), attr('gen_ai.tool.type', 'function'),
          attr('agentrt.tool.risk', e.risk), attr('agentrt.tool.decision', e.decision), attr('agentrt.credential.id', e.credential.id),
        ],
        status: { code: e.ok ? 1 : 2 },
      } as never);
    }
  }
  return spans;
}

export function toOtlp(cases: TraceEvent[][], agentName: string) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'agentrt'), attr('gen_ai.agent.name', agentName)] },
        scopeSpans: [{ scope: { name: 'agentrt', version: '1' }, spans: cases.flatMap((events) => caseSpans(events, agentName)) }],
      },
    ],
  };
}
