import type { ClientId, ConnectInfoDto } from '../../shared/clients.js';
import { clientSpec, type BridgeCommand } from './client-catalog.js';

/** The clients a ready snippet is shown for (the rest: `switchboard install CLIENT`). */
export const SNIPPET_CLIENTS: readonly ClientId[] = ['claude-desktop', 'claude-code', 'cursor', 'vscode'];

/**
 * How a client reaches one server (or, without a name, all of them) through Switchboard: the
 * Streamable HTTP endpoint, the `connect` command with absolute paths, and for each common client
 * the entry `install` would write, ready to paste into its file.
 */
export function connectInfo(options: {
  bridge: BridgeCommand;
  /** The engine's URL (`http://127.0.0.1:7420`); empty when it does not listen on HTTP. */
  engineUrl: string;
  server?: string | undefined;
  /** Where each client keeps its servers on this machine. */
  fileOf: (client: ClientId) => string;
}): ConnectInfoDto {
  const { bridge, server } = options;
  const args = server === undefined ? ['connect', '--all'] : ['connect', server];
  const entryName = server ?? 'switchboard';
  const homeFirst = Object.entries(bridge.env ?? {}).map(([key, value]) => `${key}=${value}`);
  return {
    ...(options.engineUrl
      ? { http: `${options.engineUrl}/mcp${server === undefined ? '' : `/${encodeURIComponent(server)}`}` }
      : {}),
    command: [...homeFirst, bridge.command, ...bridge.args, ...args],
    snippets: SNIPPET_CLIENTS.map((client) => {
      const spec = clientSpec(client);
      const entry = spec.bridgeEntry(bridge, args);
      return {
        client,
        name: spec.name,
        file: options.fileOf(client),
        text: JSON.stringify({ [spec.serversKey]: { [entryName]: entry } }, null, 2),
      };
    }),
  };
}
