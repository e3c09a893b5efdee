import type { AuthServerMetadata } from './discovery.js';
import type { TokenSet } from './token-set.js';

/** A server's OAuth sign-in as the window and the tray see it: never a token. */
export interface OAuthStatus {
  oauth: boolean;
  signedIn: boolean;
  issuer?: string;
  scopes: string[];
  expiresAt?: number;
  pendingScope?: string;
  signInUrl?: string;
  problem?: string;
}

/** What an OAuth session knows of its sign-in, for the status and the messages. */
export interface SignInFacts {
  tokens: TokenSet | undefined;
  /** The authorization server, once known. */
  meta: AuthServerMetadata | undefined;
  /** A client id in the server's config: it uses OAuth before it has refused anything. */
  clientId: string | undefined;
  pendingScope: string | undefined;
  signInUrl: string | undefined;
  problem: string | undefined;
}

export function oauthStatus(facts: SignInFacts): OAuthStatus {
  const { tokens: t, meta } = facts;
  return {
    oauth: t !== undefined || meta !== undefined || facts.clientId !== undefined,
    signedIn: t !== undefined,
    scopes: (t?.scope ?? '').split(' ').filter(Boolean),
    ...(t || meta ? { issuer: t?.issuer ?? meta!.issuer } : {}),
    ...(t?.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
    ...(facts.pendingScope ? { pendingScope: facts.pendingScope } : {}),
    ...(facts.signInUrl ? { signInUrl: facts.signInUrl } : {}),
    ...(facts.problem ? { problem: facts.problem } : {}),
  };
}

/** Why `server`'s requests wait for a sign-in, and where the person signs in. */
export function signInNeededMessage(server: string, facts: SignInFacts): string {
  const where = facts.meta ? new URL(facts.meta.issuer).host : 'its authorization server';
  return facts.pendingScope
    ? `${server} needs more access (scope "${facts.pendingScope}"): sign in again from Switchboard's window or tray`
    : facts.problem
      ? `${server}: ${facts.problem} (Sign in is in Switchboard's window and tray)`
      : `${server} wants you to sign in at ${where}: use Sign in in Switchboard's window or tray`;
}
