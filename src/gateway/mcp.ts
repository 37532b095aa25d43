// The MCP tool endpoint: a stateless streamable-HTTP server on the official SDK's low-level Server. Its tools/call
// goes through the same central gate as the JSON endpoint — there is no second policy path. Approval is never asked
// through MCP elicitation: that would ask the agent under test to approve itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { agentrtVersion } from '../paths.js';
import { callTool } from './gate.js';
import { readJson } from './http.js';
import type { CaseState } from './session.js';
import { fromFunctionName, toFunctionName } from './tool-names.js';

/** The relay listens on this port inside the run network; the Host header agents send is `gateway:<it>`. */
export const RELAY_PORT = 8080;

export function mcpTools(state: CaseState) {
  return [...state.session.tools.values()].map((t) => ({
    name: toFunctionName(t.name),
    title: t.name,
    description: t.description,
    inputSchema: t.input as { type: 'object'; properties?: Record<string, unknown> },
    // Hints for clients; the plan's risk class is what agentrt enforces.
    annotations: { readOnlyHint: t.risk === 'read', destructiveHint: t.risk === 'irreversible', idempotentHint: t.risk === 'read' },
    _meta: { 'agentrt/risk': t.risk, 'agentrt/tool': t.name },
  }));
}

export async function handleMcp(state: CaseState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const server = new Server({ name: 'agentrt-tools', version: agentrtVersion() }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: mcpTools(state) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = fromFunctionName(request.params.name);
    const callId = typeof request.params._meta?.['agentrt/call_id'] === 'string' ? (request.params._meta['agentrt/call_id'] as string) : undefined;
    const resp = await callTool(state, name, request.params.arguments ?? {}, { channel: 'mcp', ...(callId ? { callId } : {}) });
    return resp.ok
      ? { content: [{ type: 'text' as const, text: JSON.stringify(resp.result) }], structuredContent: { result: resp.result } }
      : { content: [{ type: 'text' as const, text: JSON.stringify(resp.error) }], isError: true };
  });
  const host = req.headers.host ?? '';
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined, // stateless: every request stands alone, so replay and resume need no session
    enableJsonResponse: true,
    enableDnsRebindingProtection: true,
    allowedHosts: [`gateway:${RELAY_PORT}`, ...(/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host) ? [host] : [])],
  });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  await transport.handleRequest(req, res, body);
}
