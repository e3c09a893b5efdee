import { createHash, randomBytes } from 'node:crypto';

/** PKCE (RFC 7636) with S256: a 43-character verifier and its SHA-256 challenge. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An unguessable `state` value tying the browser's answer to the sign-in that asked. */
export function newState(): string {
  return randomBytes(24).toString('base64url');
}
