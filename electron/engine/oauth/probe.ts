import { fetchOrLost } from '../upstream/remote-http.js';
import { engineInitializeParams } from '../upstream/upstream.js';
import { OAUTH_REQUEST_TIMEOUT_MS } from './oauth-http.js';
import { parseBearerChallenge, type BearerChallenge } from './www-authenticate.js';

/**
 * Asks the server what it wants before a sign-in nobody's request triggered (the Sign in button):
 * an initialize without a token, whose 401 carries the challenge (resource metadata, scope).
 */
export async function probeChallenge(
  serverUrl: URL,
  signal: AbortSignal,
): Promise<BearerChallenge | undefined> {
  const res = await fetchOrLost(serverUrl, {
    method: 'POST',
    headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
    // The engine's own initialize, declaring nothing: only the 401 and its challenge matter.
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: engineInitializeParams({ name: 'switchboard', version: '0' }, {}),
    }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(OAUTH_REQUEST_TIMEOUT_MS)]),
  });
  await res.body?.cancel();
  return res.status === 401 ? (parseBearerChallenge(res.headers.get('www-authenticate')) ?? {}) : undefined;
}
