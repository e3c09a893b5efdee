import type { RemoteServerConfig, ServerConfig } from '../../shared/config.js';

/** `${env:NAME}` and `${secret:NAME}` in a server's config (config/resolve-server.ts fills them in). */
export const REFERENCE = /\$\{(env|secret):([^}]+)\}/g;

/** The texts of a remote server's `oauth` entry that may hold references. */
function oauthTexts(server: RemoteServerConfig): string[] {
  if (typeof server.oauth !== 'object') return [];
  return [server.oauth.clientId ?? '', server.oauth.clientSecret ?? ''];
}

/** The secret names a server's config uses, in order of first appearance (declared credentials too). */
export function secretsUsedBy(server: ServerConfig): string[] {
  const texts =
    server.type === 'stdio'
      ? [server.command, ...server.args, ...Object.values(server.env), server.cwd ?? '']
      : [server.url, ...Object.values(server.headers), ...oauthTexts(server)];
  const names = new Set<string>();
  for (const text of texts)
    for (const match of text.matchAll(REFERENCE)) if (match[1] === 'secret') names.add(match[2]!);
  for (const name of Object.keys(server.credentials ?? {})) names.add(name);
  return [...names];
}
