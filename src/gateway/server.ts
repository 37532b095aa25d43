// One gateway HTTP server per run, in the agentrt process. Cases are told apart by their per-case credentials, so
// every container of the run shares it. Routes: the model proxy under /v1, the tool gateway under /tools, MCP
// under /mcp. Every route authenticates before it reads anything else.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InfraError } from '../errors.js';
import { ZERO_USAGE } from '../trace/events.js';
import type { ChatRequest } from '../providers/types.js';
import { Budget } from '../policy/limits.js';
import { ticketStopRules } from '../policy/stop-rules.js';
import { collectCanaries } from '../policy/canaries.js';
import { fingerprint, newCredentials, presentedKey, sameSecret, type CaseCredentials } from './credentials.js';
import { HttpError, openAiError, readJson, sendJson } from './http.js';
import { handleChatCompletion } from './model-proxy.js';
import type { CaseOutcome, CaseSession, CaseState } from './session.js';
import { enforceGuard } from './stops.js';
import { callTool } from './gate.js';
import { fromFunctionName, toFunctionName } from './tool-names.js';
import { handleMcp } from './mcp.js';
import { handleMessages } from './anthropic-route.js';
import { scrubber, scrubOutgoing } from './scrub.js';

export interface GatewayServer {
  port: number;
  /** Requests refused because their credential matched no case. */
  rejected: number;
  openCase(session: CaseSession): CaseCredentials;
  closeCase(caseId: string): CaseOutcome;
  close(): Promise<void>;
}

export async function startGateway(opts: { host?: string; port?: number; secrets?: string[] } = {}): Promise<GatewayServer> {
  const cases = new Map<string, CaseState>();
  const byKey = (key: string | undefined, kind: 'model' | 'tool'): CaseState | undefined => {
    if (!key) return undefined;
    for (const st of cases.values()) if (sameSecret(kind === 'model' ? st.creds.modelKey : st.creds.toolToken, key)) return st;
    return undefined;
  };
  const gw: GatewayServer = {
    port: 0,
    rejected: 0,
    openCase(session) {
      const creds = newCredentials();
      session.trace.addSecrets(creds.modelKey, creds.toolToken);
      const guard = ticketStopRules(session.plan, session.ticketText);
      for (const g of guard) {
        session.trace.write({ type: 'stop_rule', rule: g.rule.name, trigger: 'ticket_matches', action: g.rule.action, detail: `ticket mentions "${g.phrase}": irreversible actions are refused and the case must be escalated` });
      }
      cases.set(session.caseId, {
        session, creds, budget: new Budget(session.plan.limits), usage: { ...ZERO_USAGE }, cost: 0, modelCalls: 0, toolCalls: 0,
        lastMessages: [], lastPrefixHash: null, callsPerTarget: new Map(), rngs: new Map(), done: new Map(), guard, stopped: false,
        canaries: collectCanaries(session.plan, session.store.snapshot()),
      });
      return creds;
    },
    closeCase(caseId) {
      const st = cases.get(caseId);
      if (!st) throw new InfraError(`gateway has no case ${caseId}`);
      enforceGuard(st);
      st.stopped = true;
      cases.delete(caseId);
      return {
        usage: st.usage, cost_usd: st.cost, steps: st.budget.steps, modelCalls: st.modelCalls, toolCalls: st.toolCalls,
        escalated: !!st.escalation, ...(st.escalation ? { escalation: st.escalation } : {}), ...(st.stop ? { stop: st.stop } : {}),
      };
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const p = url.pathname;
    if (p === '/healthz') return sendJson(res, 200, { ok: true });
    if (p.startsWith('/v1/')) {
      const st = byKey(presentedKey(req.headers), 'model');
      if (!st) {
        gw.rejected++;
        return openAiError(res, 401, 'invalid API key: only the per-case key agentrt put in OPENAI_API_KEY is accepted', 'invalid_api_key', 'authentication_error');
      }
      if (req.method === 'GET' && p === '/v1/models') {
        return sendJson(res, 200, { object: 'list', data: [{ id: st.session.plan.model.name, object: 'model', created: 0, owned_by: st.session.plan.model.provider }] });
      }
      if (req.method === 'POST' && p === '/v1/chat/completions') return handleChatCompletion(st, (await readJson(req)) as ChatRequest, res);
      if (req.method === 'POST' && p === '/v1/messages') return handleMessages(st, (await readJson(req)) as Record<string, unknown>, res);
      return openAiError(res, 404, `no route ${req.method} ${p}; the proxy serves POST /v1/chat/completions, POST /v1/messages and GET /v1/models`, 'not_found');
    }
    if (p === '/tools' || p.startsWith('/tools/') || p === '/mcp') {
      const token = presentedKey(req.headers);
      const st = byKey(token, 'tool');
      if (!st) {
        gw.rejected++;
        // A forged or foreign credential is a violation of the case it claims to be, if any: record where we can.
        const victim = token ? byKey(token, 'model') : undefined;
        victim?.session.trace.write({ type: 'violation', kind: 'bad_tool_credential', detail: `tool call with credential ${fingerprint(token ?? '')} (the model key, not the tool token)` });
        return sendJson(res, 401, { ok: false, error: { code: 'bad_credential', message: 'missing or invalid tool credential (Authorization: Bearer $AGENTRT_TOOL_TOKEN)' } });
      }
      if (p === '/mcp') return handleMcp(st, req, res);
      if (req.method === 'GET' && p === '/tools') {
        const tools = [...st.session.tools.values()].map((t) => ({ type: 'function', function: { name: toFunctionName(t.name), description: t.description, parameters: t.input } }));
        return sendJson(res, 200, { tools });
      }
      if (req.method === 'POST' && p.startsWith('/tools/')) {
        const name = fromFunctionName(decodeURIComponent(p.slice('/tools/'.length)));
        const body = (await readJson(req)) as { arguments?: unknown; call_id?: string; reason?: string };
        const resp = await callTool(st, name, body.arguments ?? {}, { channel: 'json', ...(body.call_id ? { callId: String(body.call_id) } : {}), ...(body.reason ? { reason: body.reason } : {}) });
        const status = !resp.ok && resp.error.code === 'agentrt_limit' ? 429 : 200;
        return sendJson(res, status, resp);
      }
    }
    // There is no agent-facing approval route: approvals are decided on the host. A case that tries one anyway (its
    // own credential on an approval-like path) is trying to approve its own action: refused and recorded.
    const claimant = /approv/i.test(p) ? (byKey(presentedKey(req.headers), 'tool') ?? byKey(presentedKey(req.headers), 'model')) : undefined;
    if (claimant) {
      claimant.session.trace.write({ type: 'violation', kind: 'self_approval', detail: `${req.method} ${p.slice(0, 200)}: agents cannot decide approvals; only the host's approver does` });
      return sendJson(res, 403, { error: { code: 'forbidden', message: 'approvals are decided by a person or the plan, never by the agent' } });
    }
    return sendJson(res, 404, { error: `no route ${req.method} ${p}` });
  };

  const scrub = scrubber(opts.secrets ?? []);
  const server = createServer((req, res) => {
    if (scrub) scrubOutgoing(res, scrub);
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.end();
      if (err instanceof HttpError) return sendJson(res, err.status, { error: { code: err.code, message: err.message } });
      sendJson(res, 500, { error: { code: 'gateway_error', message: err instanceof Error ? err.message : String(err) } });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new InfraError(`gateway could not listen: ${e.message}`, { code: 'E_GATEWAY_LISTEN' })));
    server.listen(opts.port ?? 0, opts.host ?? '0.0.0.0', () => resolve());
  });
  gw.port = (server.address() as AddressInfo).port;
  return gw;
}
