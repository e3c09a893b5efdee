// The MCP conformance suite's client under test for `--suite auth`: Switchboard's own upstream
// (HttpUpstream) with its OAuth client (OAuthSession), exactly as the engine connects to a remote
// server, except that the "browser" is a fetch that follows the authorization page's redirect.
//   tsx test/conformance/auth-client.ts <server-url>
// Env: MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_CONTEXT (pre-registered client credentials).
import { systemClock } from '../../electron/engine/flow/clock.js';
import type { OAuthClientSettings } from '../../electron/engine/oauth/client-registration.js';
import { OAuthSession } from '../../electron/engine/oauth/oauth-session.js';
import { OAuthVault } from '../../electron/engine/oauth/oauth-vault.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';
import { HttpUpstream } from '../../electron/engine/upstream/http-upstream.js';
import { followAuthorization } from '../helpers/headless-browser.js';

/** The client ID metadata document the suite's authorization server knows (basic-cimd). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

function settingsFromContext(): OAuthClientSettings {
  const settings: OAuthClientSettings = { clientMetadataUrl: CLIENT_METADATA_URL };
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return settings;
  const context = JSON.parse(raw) as Record<string, unknown>;
  const id = context.client_id ?? context.clientId;
  const secret = context.client_secret ?? context.clientSecret;
  if (typeof id === 'string') settings.clientId = id;
  if (typeof secret === 'string') settings.clientSecret = secret;
  return settings;
}

async function main(): Promise<number> {
  const url = process.argv.at(-1);
  if (!url || !/^https?:/.test(url)) {
    process.stderr.write('usage: auth-client.ts <server-url>\n');
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const session = new OAuthSession({
    server: 'conformance',
    serverUrl: new URL(url),
    settings: settingsFromContext(),
    vault: new OAuthVault(new MemorySecretStore()),
    clock: systemClock,
    log,
    autoSignIn: followAuthorization,
  });
  const upstream = new HttpUpstream({
    server: 'conformance',
    clock: systemClock,
    target: () => ({ url, headers: {}, auth: session }),
    requestTimeoutMs: 20_000,
    pingIntervalMs: 0,
    clientInfo: { name: 'switchboard-conformance', version: '0' },
    log,
  });
  try {
    await upstream.connect(AbortSignal.timeout(30_000));
    const tools = (upstream.lists.tools ?? []) as { name: string }[];
    log(`tools: ${tools.map((t) => t.name).join(', ')}`);
    for (const tool of tools) {
      const answer = await upstream.request('tools/call', { name: tool.name, arguments: {} });
      log(`${tool.name}: ${JSON.stringify(answer.result ?? answer.error)}`);
    }
    return 0;
  } catch (err) {
    log(`failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await upstream.close('done').catch(() => undefined);
  }
}

void main().then((code) => process.exit(code));
