import { fetchOrLost } from './remote-http.js';
import type { RequestAuthorizer } from './remote-connection.js';

/** Sends of one request while an authorizer fixes refusals (a refresh, a sign-in for more scope). */
const MAX_AUTH_ATTEMPTS = 4;

/** A refusal an OAuth client may fix: a 401, or a 403 that asks for more scope. */
function isAuthRefusal(res: Response): boolean {
  if (res.status === 401) return true;
  return res.status === 403 && /insufficient_scope/i.test(res.headers.get('www-authenticate') ?? '');
}

/**
 * `fetch` with the Authorization header of `auth` (when the server uses OAuth): a refusal the
 * authorizer can fix (a refreshed token, more scope) is sent again, a bounded number of times; one
 * it cannot fix throws AuthRequiredError (a person must sign in). The body is a string, so
 * sending it again is safe.
 */
export async function authorizedFetch(
  auth: RequestAuthorizer | undefined,
  url: URL,
  init: RequestInit & { signal: AbortSignal; headers: Headers },
): Promise<Response> {
  if (!auth) return fetchOrLost(url, init);
  for (let attempt = 1; ; attempt++) {
    const sent = await auth.authorization(init.signal);
    if (sent !== undefined) init.headers.set('authorization', sent);
    const res = await fetchOrLost(url, init);
    if (!isAuthRefusal(res)) {
      auth.accepted(sent);
      return res;
    }
    if (attempt >= MAX_AUTH_ATTEMPTS) return res;
    await res.body?.cancel();
    const refusal = { status: res.status, wwwAuthenticate: res.headers.get('www-authenticate'), sent };
    await auth.refused(refusal, init.signal);
  }
}
