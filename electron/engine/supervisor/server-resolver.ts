import { ConfigError, MissingSecretError } from '../actor/start-errors.js';
import { resolveServer } from '../config/resolve-server.js';
import type { SpawnSpec } from '../process/types.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { RemoteTarget, RequestAuthorizer } from '../upstream/remote-connection.js';
import type { RemoteServerConfig, ServerConfig } from '../../shared/config.js';

export interface ServerResolverOptions {
  secrets: SecretStore;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** The config file's folder (relative paths in the config are relative to it). */
  configDir: () => string;
  onSecretValue?: (value: string) => void;
  authorizer?: (server: string, config: RemoteServerConfig) => RequestAuthorizer;
}

/**
 * A server's config with `${env:…}`/`${secret:…}` filled in, at every launch or connect (so a
 * secret set after a failure takes effect on the retry): what to spawn, or where to connect and how
 * to sign in. A missing reference is a ConfigError, a missing secret a MissingSecretError.
 */
export class ServerResolver {
  constructor(private readonly options: ServerResolverOptions) {}

  async spawnSpec(name: string, config: ServerConfig): Promise<SpawnSpec> {
    const resolved = await this.resolve(name, config);
    if (resolved.server.type !== 'stdio') throw new ConfigError(`${name} is not a stdio server`);
    const { command, args, env, cwd } = resolved.server;
    return { command, args, env, cwd };
  }

  async remoteTarget(name: string, config: ServerConfig): Promise<RemoteTarget> {
    const resolved = await this.resolve(name, config);
    if (resolved.server.type === 'stdio') throw new ConfigError(`${name} is not a remote server`);
    const { url, headers } = resolved.server;
    // A server given its own Authorization header (an API key) is not signed in to with OAuth.
    const ownAuthorization = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
    const auth =
      resolved.server.oauth === false || ownAuthorization
        ? undefined
        : this.options.authorizer?.(name, resolved.server);
    return { url, headers, ...(auth ? { auth } : {}) };
  }

  /** A remote server's config with references filled in (OAuth settings need the client secret). */
  async remoteConfig(name: string, config: ServerConfig): Promise<RemoteServerConfig | undefined> {
    if (config.type === 'stdio') return undefined;
    const resolved = await this.resolve(name, config);
    return resolved.server.type === 'stdio' ? undefined : resolved.server;
  }

  private async resolve(name: string, config: ServerConfig) {
    const { env, secrets, homedir, onSecretValue } = this.options;
    const resolved = await resolveServer(name, config, {
      env,
      secrets,
      homedir,
      configDir: this.options.configDir(),
      ...(onSecretValue ? { onSecretValue } : {}),
    });
    if (!resolved.ok) {
      if (resolved.onlySecrets)
        throw new MissingSecretError(
          resolved.error,
          resolved.missing.map((m) => m.slice('secret:'.length)),
        );
      throw new ConfigError(resolved.error);
    }
    return resolved;
  }
}
