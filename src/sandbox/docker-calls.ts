// Docker is unreliable: every call gets a deadline, and idempotent ones (inspect, list, remove) bounded retries.
import { InfraError } from '../errors.js';

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

export async function retrying<T>(fn: () => Promise<T>, opts: { attempts?: number; notFoundIsFinal?: boolean } = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      const status = (err as { statusCode?: number }).statusCode;
      if (opts.notFoundIsFinal && status === 404) throw err;
      if (status && status >= 400 && status < 500 && status !== 409) throw err; // a client error will not improve
      if (i < attempts) await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
  throw last;
}
