// Shared upstream plumbing for the real providers: POST JSON with the real key, typed errors whose text never
// carries the key, and an SSE reader robust to chunk boundaries.
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export function redactKey(text: string, key: string): string {
  return key.length >= 8 ? text.split(key).join('[REDACTED]') : text;
}

export async function postJson(url: string, headers: Record<string, string>, body: unknown, key: string, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  } catch (err) {
    throw new UpstreamError(502, redactKey(`upstream unreachable: ${(err as Error).message}`, key));
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new UpstreamError(res.status, redactKey(`upstream ${res.status}: ${text.slice(0, 500)}`, key));
  }
  return res;
}

/** Yields the `data:` payloads (and event names) of a server-sent-event stream. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event?: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) {
        yield { ...(event ? { event } : {}), data: line.slice(5).trim() };
        event = undefined;
      }
    }
  }
}

export const estimateTokens = (v: unknown) => Math.max(1, Math.ceil((typeof v === 'string' ? v : JSON.stringify(v ?? '')).length / 4));
