// `replay` provider: serves a recorded run's model responses, in order, with no model call. Each request must
// equal the recorded one exactly; the first one that does not is reported (what was recorded, what came now) —
// replay never approximates. Two forms:
//  - a whole run as a plan's cassette (`model.provider: replay`): the case is found by the conversation's opening
//    (system + ticket), so one provider serves every case of a run;
//  - one recorded case (`replay --rerun`, `resume`): optionally continuing live once the recording is used up.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PlanError } from '../errors.js';
import { canonicalJson } from '../tools/fixture-store.js';
import type { TraceEvent, Usage } from '../trace/events.js';
import type { ChatRequest, ChatResponse, Provider } from './types.js';
import { UpstreamError } from './upstream.js';

export interface Cassette {
  caseKey: string;
  requests: unknown[][];
  responses: Array<{ response: ChatResponse; usage: Usage }>;
}

/** The successful model calls of one case trace, as full requests (the trace stores only what is new). */
export function cassetteFromEvents(caseKey: string, events: TraceEvent[]): Cassette {
  const cassette: Cassette = { caseKey, requests: [], responses: [] };
  let previous: unknown[] = [];
  for (const e of events) {
    if (e.type !== 'model.call') continue;
    // The proxy diffs each request against the last *successful* one, so a failed call does not move the base.
    if (e.error) continue;
    const messages = [...previous.slice(0, e.request.prefix_len), ...e.request.new_messages];
    previous = messages;
    cassette.requests.push(messages);
    cassette.responses.push({ response: e.response as ChatResponse, usage: e.usage });
  }
  return cassette;
}

function loadCassettes(runDir: string): Cassette[] {
  const dir = path.join(runDir, 'cases');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.ndjson'));
  } catch {
    throw new PlanError(`model.cassette: no recorded run at ${runDir}`, { code: 'E_PLAN_CASSETTE', details: ['give a run directory, e.g. .agentrt/runs/<runId>'] });
  }
  return names.map((n) => {
    const events = readFileSync(path.join(dir, n), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEvent);
    return cassetteFromEvents(n.replace(/\.ndjson$/, ''), events);
  });
}

/** The first message index where two conversations differ, or -1. */
function firstDifference(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (canonicalJson(a[i]) !== canonicalJson(b[i])) return i;
  return -1;
}

const assistantTurns = (messages: unknown[]) => messages.filter((m) => (m as { role?: string }).role === 'assistant').length;

/** Serves the n-th recorded response if the request is exactly the recorded one; otherwise names the divergence. */
function serve(cassette: Cassette, messages: unknown[], divergences: string[]) {
  const n = assistantTurns(messages);
  const recorded = cassette.requests[n];
  if (!recorded) {
    const msg = `replay: case ${cassette.caseKey} made ${n + 1} model calls; the recording has ${cassette.requests.length}`;
    divergences.push(msg);
    throw new UpstreamError(409, msg);
  }
  const at = firstDifference(recorded, messages);
  if (at >= 0) {
    const msg = `replay: case ${cassette.caseKey} diverges at model call ${n + 1}, message ${at}: recorded ${canonicalJson(recorded[at]).slice(0, 300)}, now ${canonicalJson(messages[at]).slice(0, 300)}`;
    divergences.push(msg);
    throw new UpstreamError(409, msg);
  }
  return structuredClone(cassette.responses[n]!);
}

export function createReplayProvider(runDir: string): Provider & { divergences: string[] } {
  const cassettes = loadCassettes(runDir);
  const divergences: string[] = [];
  return {
    id: 'replay',
    divergences,
    async complete(req: ChatRequest) {
      const messages = req.messages as unknown[];
      const opening = canonicalJson(messages.slice(0, 2));
      const cassette = cassettes.find((c) => c.requests[0] && canonicalJson(c.requests[0].slice(0, 2)) === opening);
      if (!cassette) {
        const msg = 'replay: no recorded case starts with this conversation (system prompt + ticket differ from every recording)';
        divergences.push(msg);
        throw new UpstreamError(409, msg);
      }
      return serve(cassette, messages, divergences);
    },
  };
}

export interface CaseReplayProvider extends Provider {
  divergences: string[];
  /** True while recorded responses are being served (the tool calls that follow are the recorded prefix). */
  replaying(): boolean;
}

/**
 * One recorded case. Without `live`, strict replay: a call beyond the recording is a divergence. With `live`
 * (resume), the recorded prefix is served first and every call after it goes to the live provider; a request that
 * differs from the recording inside the prefix is still a divergence, never silently sent live.
 */
export function createCaseReplayProvider(cassette: Cassette, live?: Provider): CaseReplayProvider {
  const divergences: string[] = [];
  let wentLive = false;
  return {
    // What the trace records per call: `replay` for a served recording, the live provider's id after that.
    get id() {
      return wentLive && live ? live.id : 'replay';
    },
    divergences,
    replaying: () => !wentLive && (live === undefined || cassette.requests.length > 0),
    async complete(req, options) {
      const messages = req.messages as unknown[];
      if (live && (wentLive || assistantTurns(messages) >= cassette.requests.length)) {
        wentLive = true;
        return live.complete(req, options);
      }
      return serve(cassette, messages, divergences);
    },
  };
}
