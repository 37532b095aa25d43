// Docker is unreliable: every call gets a deadline, idempotent ones (inspect, list, remove) get bounded retries,
// and whatever still fails becomes an InfraError (exit 3, counted as infrastructure, never as an agent failure).
// The engine's HTTP status stays reachable through dockerStatus() so callers can treat 404 as "already gone".
import { InfraError } from '../errors.js';

/** Where dockerode connects: what to name in "not reachable" messages. */
export function engineAddress(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** The engine's HTTP status of a failed call, also through an InfraError that wraps it. */
export function dockerStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: number; cause?: { statusCode?: number } } | undefined;
  return e?.statusCode ?? e?.cause?.statusCode;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EACCES', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

function connectionCode(err: unknown): string | undefined {
  const code = (err as { code?: string } | undefined)?.code;
  return code && CONNECTION_CODES.has(code) ? code : undefined;
}

/** Maps any failure of a Docker call to an InfraError that says what failed and what to do. */
export function toInfraError(err: unknown, what: string): InfraError {
  if (err instanceof InfraError) return err;
  const conn = connectionCode(err);
  if (conn) {
    const fix = conn === 'EACCES'
      ? 'the Docker socket refused this user: run as a member of the `docker` group, or point DOCKER_HOST at an engine you may use'
      : 'start it (e.g. `dockerd &`, or Docker Desktop), or point DOCKER_HOST at a running engine';
    return new InfraError(`Docker engine not reachable at ${engineAddress()} (${conn} during ${what})`, { code: 'E_DOCKER_UNREACHABLE', details: [fix], cause: err });
  }
  const message = (err as Error | undefined)?.message ?? String(err);
  return new InfraError(`Docker ${what} failed: ${message.trim()}`, { code: 'E_DOCKER', cause: err, retryable: (dockerStatus(err) ?? 0) >= 500 });
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new InfraError(`Docker did not answer "${what}" within ${ms / 1000}s`, { code: 'E_DOCKER_TIMEOUT', retryable: true })), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function worthRetrying(err: unknown): boolean {
  if (err instanceof InfraError) return err.retryable; // our own timeout
  const status = dockerStatus(err);
  if (status !== undefined) return status >= 500 || status === 409; // 409: removal already in progress
  return connectionCode(err) !== undefined; // an engine restarting answers again within a second or two
}

export interface CallOptions {
  /** Only for idempotent calls: repeating them cannot do anything twice. */
  retry?: boolean;
  attempts?: number;
}

/** One bounded Docker call: a deadline, retries when asked and safe, and an InfraError when it still fails. */
export async function call<T>(what: string, ms: number, fn: () => Promise<T>, opts: CallOptions = {}): Promise<T> {
  const attempts = opts.retry ? (opts.attempts ?? 3) : 1;
  for (let i = 1; ; i++) {
    try {
      return await withTimeout(fn(), ms, what);
    } catch (err) {
      if (i >= attempts || !worthRetrying(err)) throw toInfraError(err, what);
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}
