// agentrt's reference agent: a generic tool-calling loop that runs INSIDE the sandbox on plain Node (no
// dependencies, no project imports: it is copied as one file into a FROM-scratch image).
//
// Environment (the agent contract, see README "Agent contract"):
//   OPENAI_BASE_URL     model proxy, e.g. http://gateway:8080/v1 (OpenAI chat completions)
//   OPENAI_API_KEY      fake per-case key (the real key never enters the sandbox)
//   AGENTRT_TOOLS_URL   tool gateway, e.g. http://gateway:8080/tools (GET list, POST /tools/<name>)
//   AGENTRT_TOOL_TOKEN  per-case tool credential (Authorization: Bearer)
//   AGENTRT_TICKET      path of the ticket JSON;  AGENTRT_PROMPT  path of the system prompt
//   AGENTRT_MODEL, AGENTRT_MAX_TURNS, AGENTRT_WORKSPACE
// It ends with a line `AGENTRT_FINAL <json>` on stdout and exit 0. Escalation is a tool call (handoff.escalate).
import { readFileSync } from 'node:fs';

type Msg = { role: string; content: string | null; tool_calls?: ToolCall[]; tool_call_id?: string };
type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`missing environment variable ${name}`);
  return v;
};

class LimitReached extends Error {}

async function post(url: string, token: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

async function chat(messages: Msg[], tools: unknown[]): Promise<Msg> {
  const url = `${env('OPENAI_BASE_URL')}/chat/completions`;
  for (let attempt = 1; ; attempt++) {
    const { status, json } = await post(url, env('OPENAI_API_KEY'), { model: env('AGENTRT_MODEL', 'default'), messages, tools, tool_choice: 'auto' });
    if (status === 200) return json.choices[0].message as Msg;
    if (status === 429 && json?.error?.code === 'agentrt_limit') throw new LimitReached(json.error.message);
    if ((status >= 500 || status === 429) && attempt < 3) {
      process.stderr.write(`model call failed with ${status}, retrying (${attempt}/2)\n`);
      await new Promise((r) => setTimeout(r, 250 * attempt));
      continue;
    }
    throw new Error(`model call failed: ${status} ${JSON.stringify(json).slice(0, 300)}`);
  }
}

function renderTicket(t: any): string {
  const from = [t.from?.name, t.from?.email ? `<${t.from.email}>` : ''].filter(Boolean).join(' ');
  const meta = t.metadata && Object.keys(t.metadata).length ? `\nMetadata: ${JSON.stringify(t.metadata)}` : '';
  return `New support ticket ${t.id} via ${t.channel}\nFrom: ${from || 'unknown'}\nSubject: ${t.subject ?? ''}${meta}\n\n${t.body}`;
}

async function main(): Promise<void> {
  const ticket = JSON.parse(readFileSync(env('AGENTRT_TICKET'), 'utf8'));
  let system = 'You are a support agent. Use the tools. Escalate when unsure.';
  try {
    system = readFileSync(env('AGENTRT_PROMPT'), 'utf8');
  } catch {
    /* no prompt file: the default above */
  }
  const toolsUrl = env('AGENTRT_TOOLS_URL');
  const token = env('AGENTRT_TOOL_TOKEN');
  const listed = await fetch(toolsUrl, { headers: { authorization: `Bearer ${token}` } });
  if (!listed.ok) throw new Error(`could not list tools: ${listed.status}`);
  const tools = ((await listed.json()) as { tools: unknown[] }).tools;
  const messages: Msg[] = [
    { role: 'system', content: system },
    { role: 'user', content: renderTicket(ticket) },
  ];
  const maxTurns = Number(env('AGENTRT_MAX_TURNS', '20'));
  let final = '';
  try {
    for (let turn = 0; turn < maxTurns; turn++) {
      const reply = await chat(messages, tools);
      messages.push({ role: 'assistant', content: reply.content ?? null, ...(reply.tool_calls?.length ? { tool_calls: reply.tool_calls } : {}) });
      if (!reply.tool_calls?.length) {
        final = reply.content ?? '';
        break;
      }
      for (const call of reply.tool_calls) {
        let args: unknown = {};
        try {
          args = JSON.parse(call.function.arguments || '{}');
        } catch {
          args = { _unparsable: call.function.arguments };
        }
        const { status, json } = await post(`${toolsUrl}/${encodeURIComponent(call.function.name)}`, token, { arguments: args, call_id: call.id });
        if (status === 429 && json?.error?.code === 'agentrt_limit') throw new LimitReached(json.error.message);
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(json) });
      }
    }
  } catch (err) {
    if (!(err instanceof LimitReached)) throw err;
    final = `stopped by the runtime: ${err.message}`;
  }
  process.stdout.write(`AGENTRT_FINAL ${JSON.stringify({ reply: final })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`reference agent failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
