import { ConnectionLostError, describeUrl, fetchOrLost, readText } from '../upstream/remote-http.js';
import { OAuthError, OAuthResponseError } from './oauth-error.js';

/** Bound on one request to an authorization server or a metadata document. */
export const OAUTH_REQUEST_TIMEOUT_MS = 15_000;
const MAX_DOCUMENT_BYTES = 256 * 1024;
/** OAuth error codes that mean "not now" (RFC 6749 §4.1.2.1), not "no". */
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/** Loopback hosts may use plain http (RFC 8252 §8.3); everything else must be https. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** A URL from metadata or config, refused unless it is https (or http on loopback). */
export function secureUrl(value: unknown, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new OAuthError(`${what} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  throw new OAuthError(`${what} must use https (only loopback addresses may use http): ${url.origin}`);
}

function requestSignal(signal: AbortSignal): AbortSignal & { aborted: boolean } {
  return AbortSignal.any([signal, AbortSignal.timeout(OAUTH_REQUEST_TIMEOUT_MS)]);
}

/** A JSON object from `url`, or undefined for a 404/405 or a body that is not a JSON object. */
export async function fetchJsonDocument(
  url: URL,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown> | undefined> {
  const res = await fetchOrLost(url, {
    headers: { accept: 'application/json', ...headers },
    signal: requestSignal(signal),
  });
  if (!res.ok) {
    await res.body?.cancel();
    if (res.status >= 500) throw new ConnectionLostError(`${describeUrl(url)} answered ${res.status}`, true);
    return undefined;
  }
  const { text, truncated } = await readText(res, MAX_DOCUMENT_BYTES);
  if (truncated) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POSTs to a token or registration endpoint and returns the JSON answer. An OAuth error body
 * becomes OAuthResponseError; a 5xx or a broken connection becomes ConnectionLostError (worth a retry).
 */
export async function postForJson(
  url: URL,
  body: { form: URLSearchParams } | { json: unknown },
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const isForm = 'form' in body;
  const res = await fetchOrLost(url, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
      ...headers,
    },
    body: isForm ? body.form.toString() : JSON.stringify(body.json),
    signal: requestSignal(signal),
  });
  const { text } = await readText(res, MAX_DOCUMENT_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const object =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const endpoint = `${describeUrl(url)}${url.pathname}`;
  if (res.ok && object) return object;
  // Down or busy (whatever the body says): worth another try later, not a refusal of the grant.
  if (res.status >= 500 || res.status === 429 || TRANSIENT_ERRORS.has(String(object?.error)))
    throw new ConnectionLostError(
      `${endpoint} answered ${res.status}${object?.error ? ` ${String(object.error)}` : ''}`,
      true,
    );
  if (object && typeof object.error === 'string')
    throw new OAuthResponseError(
      endpoint,
      res.status,
      object.error,
      typeof object.error_description === 'string' ? object.error_description : undefined,
    );
  throw new OAuthError(`${endpoint} answered ${res.status} without an OAuth answer`);
}
