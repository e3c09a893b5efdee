import type { SecretStore } from '../secrets/secret-store.js';
import type { ClientRegistry, OAuthClient } from './client-registration.js';
import type { TokenSet } from './token-set.js';

/*
 * OAuth state in the OS keyring, next to the secrets but under names no secret can have (`oauth:…`,
 * see SECRET_NAME_PATTERN), so the Secrets screen never lists them:
 *   oauth:token:SERVER@ISSUER   one server's tokens from one issuer (tokens are keyed by issuer)
 *   oauth:client:ISSUER         a dynamic client registration, shared by the servers of that issuer
 */
const TOKEN_PREFIX = 'oauth:token:';
const CLIENT_PREFIX = 'oauth:client:';

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined; // a damaged entry counts as none: the person signs in again
  }
}

export class OAuthVault implements ClientRegistry {
  constructor(private readonly store: SecretStore) {}

  private tokenName(server: string, issuer: string): string {
    return `${TOKEN_PREFIX}${server}@${issuer}`;
  }

  async tokens(server: string, issuer: string): Promise<TokenSet | undefined> {
    return parse<TokenSet>(await this.store.get(this.tokenName(server, issuer)));
  }

  async saveTokens(server: string, tokens: TokenSet): Promise<void> {
    await this.store.set(this.tokenName(server, tokens.issuer), JSON.stringify(tokens));
  }

  /** Every token set kept for the server, whichever issuer gave it, newest first. */
  async allTokens(server: string): Promise<TokenSet[]> {
    const prefix = `${TOKEN_PREFIX}${server}@`;
    const names = (await this.store.list()).map((s) => s.name).filter((name) => name.startsWith(prefix));
    const sets: TokenSet[] = [];
    for (const name of names) {
      const tokens = parse<TokenSet>(await this.store.get(name));
      if (tokens) sets.push(tokens);
    }
    return sets.sort((a, b) => b.obtainedAt - a.obtainedAt);
  }

  /** Sign out: every token set of the server goes; the client registrations stay (they hold no grant). */
  async deleteTokens(server: string): Promise<number> {
    const prefix = `${TOKEN_PREFIX}${server}@`;
    const names = (await this.store.list()).map((s) => s.name).filter((name) => name.startsWith(prefix));
    for (const name of names) await this.store.delete(name);
    return names.length;
  }

  async deleteTokensOf(server: string, issuer: string): Promise<void> {
    await this.store.delete(this.tokenName(server, issuer));
  }

  async load(issuer: string): Promise<OAuthClient | undefined> {
    return parse<OAuthClient>(await this.store.get(`${CLIENT_PREFIX}${issuer}`));
  }

  async save(issuer: string, client: OAuthClient): Promise<void> {
    await this.store.set(`${CLIENT_PREFIX}${issuer}`, JSON.stringify(client));
  }
}
