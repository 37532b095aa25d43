// Per-case fake credentials. The sandbox only ever holds these; they are looked up in constant time and never
// written anywhere (the trace writer redacts them). The fingerprint names a credential without revealing it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface CaseCredentials {
  modelKey: string;
  toolToken: string;
}

export function newCredentials(): CaseCredentials {
  return { modelKey: `sk-agentrt-${randomBytes(16).toString('hex')}`, toolToken: `agt-${randomBytes(16).toString('hex')}` };
}

export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The presented key from `Authorization: Bearer …` or `x-api-key: …` (both client styles). */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const x = headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}
