// Sets up Switchboard's OAuth client (OAuthSession) on a remote upstream against the fixture
// authorization server and protected MCP server, with a keyring stand-in to look into.
import { systemClock } from '../../electron/engine/flow/clock.js';
import type { OAuthClientSettings } from '../../electron/engine/oauth/client-registration.js';
import { OAuthSession } from '../../electron/engine/oauth/oauth-session.js';
import { OAuthVault } from '../../electron/engine/oauth/oauth-vault.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';
import { startAuthServer, type AuthServer, type AuthServerOptions } from '../fixtures/oauth/auth-server.js';
import {
  startProtectedMcpServer,
  type ProtectedMcpServer,
  type ProtectedMcpServerOptions,
} from '../fixtures/oauth/protected-mcp-server.js';
import { connectRemote, type Harness } from '../fixtures/remote/remote-harness.js';
import { followAuthorization } from '../helpers/headless-browser.js';

export interface OAuthRig {
  auth: AuthServer;
  mcp: ProtectedMcpServer;
  store: MemorySecretStore;
  vault: OAuthVault;
  logs: string[];
  changes: string[];
  /** Pages the "browser" was asked to open. */
  opened: string[];
  session(options?: { auto?: boolean; settings?: OAuthClientSettings }): OAuthSession;
  connect(session: OAuthSession): Harness;
  close(): Promise<void>;
}

export async function oauthRig(
  authOptions: AuthServerOptions = {},
  mcpOptions: Omit<ProtectedMcpServerOptions, 'authServer'> = {},
): Promise<OAuthRig> {
  const auth = await startAuthServer(authOptions);
  const mcp = await startProtectedMcpServer({ authServer: auth, ...mcpOptions });
  const store = new MemorySecretStore();
  const vault = new OAuthVault(store);
  const logs: string[] = [];
  const changes: string[] = [];
  const opened: string[] = [];
  const harnesses: Harness[] = [];
  const browser = async (url: string) => {
    opened.push(url);
    await followAuthorization(url);
  };
  return {
    auth,
    mcp,
    store,
    vault,
    logs,
    changes,
    opened,
    session: ({ auto = false, settings = {} } = {}) =>
      new OAuthSession({
        server: 'remote',
        serverUrl: new URL(mcp.url),
        settings,
        vault,
        clock: systemClock,
        log: (line) => logs.push(line),
        onChange: (detail) => changes.push(detail),
        ...(auto ? { autoSignIn: browser } : {}),
      }),
    connect: (session) => {
      const h = connectRemote('http', () => ({ url: mcp.url, headers: {}, auth: session }), {
        upstream: { pingIntervalMs: 0 },
      });
      harnesses.push(h);
      return h;
    },
    close: async () => {
      for (const h of harnesses) await h.server.stop();
      await mcp.close();
      await auth.close();
    },
  };
}

export { followAuthorization };
