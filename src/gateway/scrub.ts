// The real provider key must never reach the sandbox, even when an upstream echoes it back (a debugging proxy, a
// model repeating its headers). Every byte the gateway sends to an agent passes here: each secret is replaced by a
// mask of the same byte length, so Content-Length stays right. A secret split across two streamed chunks is not
// seen here (the trace writer still redacts it); the README's security model says so.
import type { ServerResponse } from 'node:http';

const MIN_SECRET = 8; // shorter strings are too likely to be ordinary text

function mask(secret: string): string {
  const n = Buffer.byteLength(secret);
  return n >= 10 ? '[REDACTED]' + '*'.repeat(n - 10) : '*'.repeat(n);
}

export function scrubber(secrets: string[]): ((text: string) => string) | undefined {
  const list = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET))];
  if (!list.length) return undefined;
  return (text) => list.reduce((t, s) => (t.includes(s) ? t.split(s).join(mask(s)) : t), text);
}

/** Patches `res` so every chunk written to the agent is scrubbed of the secrets. */
export function scrubOutgoing(res: ServerResponse, scrub: (text: string) => string): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  const clean = (chunk: unknown) => (typeof chunk === 'string' ? scrub(chunk) : Buffer.isBuffer(chunk) ? Buffer.from(scrub(chunk.toString('utf8')), 'utf8') : chunk);
  res.write = ((chunk: unknown, ...rest: unknown[]) => write(clean(chunk), ...rest)) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => (typeof chunk === 'function' || chunk === undefined ? end(chunk, ...rest) : end(clean(chunk), ...rest))) as typeof res.end;
}
