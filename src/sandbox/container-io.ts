// The container's output and exit, at the level of the engine's HTTP API (docker-modem), which dockerode's
// promise API hides: a wait that is known to be registered, and output decoded safely as it streams.
import type { IncomingMessage } from 'node:http';
import { InfraError } from '../errors.js';

export type Output = (stream: 'stdout' | 'stderr', text: string) => void;

interface Sink {
  write(chunk: Buffer): boolean;
}

export interface Modem {
  demuxStream(stream: NodeJS.ReadableStream, stdout: Sink, stderr: Sink): void;
  dial(opts: object, cb: (err: Error | null, res: unknown) => void): void;
}

/** Demultiplexes stdout/stderr, decoding UTF-8 across chunk boundaries; resolves when the stream ends. */
export function demuxOutput(modem: Modem, stream: NodeJS.ReadableStream, onOutput: Output): Promise<void> {
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const sink = (name: 'stdout' | 'stderr'): Sink => ({
    write: (chunk) => {
      const text = decoders[name].decode(chunk, { stream: true });
      if (text) onOutput(name, text);
      return true;
    },
  });
  modem.demuxStream(stream, sink('stdout'), sink('stderr'));
  return new Promise<void>((resolve) => {
    let ended = false;
    const done = () => {
      if (ended) return;
      ended = true;
      for (const name of ['stdout', 'stderr'] as const) {
        const rest = decoders[name].decode(); // a multi-byte character cut off by the end of the stream
        if (rest) onOutput(name, rest);
      }
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/**
 * POST /containers/<id>/wait?condition=next-exit, resolved once the engine answers with headers: it sends them only
 * after the wait is registered, so a start that follows cannot race it (dockerode's wait() resolves only at the
 * exit, which does not tell us that). `exit` is the exit code; `cancel` closes the request (a container that never
 * started). Wrapped in an object so the registration does not adopt (and wait for) the exit promise.
 */
export function registerExitWait(modem: Modem, id: string): Promise<{ exit: Promise<number>; cancel: () => void }> {
  return new Promise((registered, fail) => {
    const opts = { path: `/containers/${id}/wait?`, method: 'POST', isStream: true, options: { condition: 'next-exit' }, statusCodes: { 200: true, 404: 'no such container', 500: 'server error' } };
    modem.dial(opts, (err, res) => {
      if (err) return fail(err);
      const body = res as IncomingMessage;
      const exit = new Promise<number>((resolve, reject) => {
        let text = '';
        body.setEncoding('utf8');
        body.on('data', (d: string) => (text += d));
        body.on('error', reject);
        // Closed without an answer: cancelled by us, or the engine went away. (A no-op after 'end' resolved.)
        body.on('close', () => reject(new InfraError(`Docker wait for ${id.slice(0, 12)} was closed before the container exited`, { code: 'E_DOCKER_UNREACHABLE' })));
        body.on('end', () => {
          let parsed: { StatusCode?: number; Error?: { Message?: string } | null } = {};
          try {
            parsed = JSON.parse(text || '{}') as typeof parsed;
          } catch {
            // reported below with the raw body
          }
          if (typeof parsed.StatusCode === 'number') resolve(parsed.StatusCode);
          else reject(new InfraError(`Docker wait for ${id.slice(0, 12)} ended without an exit code: ${parsed.Error?.Message ?? text}`, { code: 'E_DOCKER' }));
        });
      });
      exit.catch(() => undefined); // observed by wait(); never an unhandled rejection meanwhile
      registered({ exit, cancel: () => body.destroy() });
    });
  });
}
