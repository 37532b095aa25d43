// The agent contract: the environment every agent gets inside the sandbox (documented in README "Agent contract").
// Kept in one place so the reference agent, bring-your-own agents and the docs cannot drift apart.
import type { RunNetwork } from '../sandbox/driver.js';

export const WORKSPACE = '/workspace';
export const TICKET_FILE = 'ticket.json';
export const PROMPT_FILE = 'prompt.md';

export interface AgentCredentials {
  modelKey: string;
  toolToken: string;
}

export function agentEnv(opts: {
  network: RunNetwork;
  creds: AgentCredentials;
  runId: string;
  caseId: string;
  model: string;
  maxTurns: number;
}): Record<string, string> {
  const base = `http://${opts.network.gatewayHost}:${opts.network.gatewayPort}`;
  return {
    OPENAI_BASE_URL: `${base}/v1`,
    OPENAI_API_KEY: opts.creds.modelKey,
    ANTHROPIC_BASE_URL: base,
    ANTHROPIC_API_KEY: opts.creds.modelKey,
    AGENTRT_TOOLS_URL: `${base}/tools`,
    AGENTRT_MCP_URL: `${base}/mcp`,
    AGENTRT_TOOL_TOKEN: opts.creds.toolToken,
    AGENTRT_TICKET: `${WORKSPACE}/${TICKET_FILE}`,
    AGENTRT_PROMPT: `${WORKSPACE}/${PROMPT_FILE}`,
    AGENTRT_MODEL: opts.model,
    AGENTRT_MAX_TURNS: String(opts.maxTurns),
    AGENTRT_WORKSPACE: WORKSPACE,
    AGENTRT_RUN_ID: opts.runId,
    AGENTRT_CASE_ID: opts.caseId,
    HOME: WORKSPACE,
  };
}
