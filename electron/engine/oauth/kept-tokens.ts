import { resourceCovers } from './discovery.js';
import type { OAuthVault } from './oauth-vault.js';
import type { TokenSet } from './token-set.js';

export interface KeptTokensOptions {
  server: string;
  serverUrl: URL;
  vault: OAuthVault;
  /** Every token value, so logs can mask it. */
  onTokenValue?: (value: string) => void;
}

/**
 * One remote server's OAuth tokens, in memory and in the keyring (keyed by issuer): loaded once,
 * kept after each sign-in or refresh, forgotten when they stop working or the person signs out.
 */
export class KeptTokens {
  current: TokenSet | undefined;
  /** An access token just obtained that no request has got through with yet. */
  untried: string | undefined;
  private loaded = false;

  constructor(private readonly options: KeptTokensOptions) {}

  /** Tokens kept from an earlier run, if any are for this server's URL. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    let kept: TokenSet[];
    try {
      kept = await this.options.vault.allTokens(this.options.server);
    } catch {
      // No keyring to read: nothing was kept. A server that wants a sign-in says so with its 401,
      // and the sign-in tells why its tokens cannot be kept; one that does not is reached as is.
      return;
    }
    this.current = kept.find((t) => resourceCovers(t.resource, this.options.serverUrl));
    if (this.current) this.remember(this.current);
  }

  /** New tokens: in force at once, then saved to the keyring. */
  async keep(tokens: TokenSet): Promise<void> {
    this.remember(tokens);
    this.current = tokens;
    await this.options.vault.saveTokens(this.options.server, tokens);
  }

  /** The tokens stop being used, and leave the keyring (a failure to delete them is ignored). */
  async forget(): Promise<void> {
    const tokens = this.current;
    this.current = undefined;
    this.untried = undefined;
    if (tokens)
      await this.options.vault.deleteTokensOf(this.options.server, tokens.issuer).catch(() => undefined);
  }

  /** Sign out: every token of the server leaves the keyring and memory, and none is loaded again. */
  async deleteAll(): Promise<void> {
    this.loaded = true;
    this.current = undefined;
    this.untried = undefined;
    await this.options.vault.deleteTokens(this.options.server);
  }

  private remember(tokens: TokenSet): void {
    this.options.onTokenValue?.(tokens.accessToken);
    if (tokens.refreshToken) this.options.onTokenValue?.(tokens.refreshToken);
  }
}
