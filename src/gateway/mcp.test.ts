import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { callToolHttp, openTestCase, type TestCase } from '../test-helpers/gateway-case.js';

let tc: TestCase | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

async function mcpClient(t: TestCase, token = t.creds.toolToken) {
  const client = new Client({ name: 'agentrt-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${t.base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return client;
}

describe('MCP tool gateway (official SDK client, streamable HTTP)', () => {
  it('lists the granted tools with annotations from the plan risk class', async () => {
    tc = await openTestCase();
    const client = await mcpClient(tc);
    const { tools } = await client.listTools();
    const refund = tools.find((t) => t.name === 'billing__refund');
    expect(refund?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(refund?._meta).toMatchObject({ 'agentrt/risk': 'irreversible' });
    expect(tools.find((t) => t.name === 'kb__search')?.annotations).toMatchObject({ readOnlyHint: true });
    await client.close();
  });

  it('calls a tool through the same gate, recorded with channel mcp', async () => {
    tc = await openTestCase();
    const client = await mcpClient(tc);
    const res = await client.callTool({ name: 'kb__search', arguments: { query: 'password' } });
    expect(res.isError).toBeFalsy();
    expect(JSON.stringify(res.content)).toContain('KB-102');
    expect(tc.events().find((e) => e.type === 'tool.call')).toMatchObject({ tool: 'kb.search', channel: 'mcp', ok: true });
    await client.close();
  });

  it('is refused exactly where the JSON endpoint is', async () => {
    tc = await openTestCase();
    const client = await mcpClient(tc);
    const viaMcp = await client.callTool({ name: 'billing__refund', arguments: { invoice_id: 'INV-5003', amount: 49, reason: 'dup' } });
    expect(viaMcp.isError).toBe(true);
    expect(JSON.stringify(viaMcp.content)).toContain('approval_denied');
    await client.close();
    await tc.close();
    tc = await openTestCase();
    const viaJson = await callToolHttp(tc, 'billing.refund', { invoice_id: 'INV-5003', amount: 49, reason: 'dup' });
    expect(viaJson.body.error?.code).toBe('approval_denied');
  });

  it('refuses an MCP client with a wrong credential', async () => {
    tc = await openTestCase();
    await expect(mcpClient(tc, 'agt-forged')).rejects.toThrow();
    expect(tc.gw.rejected).toBeGreaterThan(0);
  });
});
