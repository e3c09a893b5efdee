import { readFile } from 'node:fs/promises';
import { resolveStaticFile } from '../../engine/index.js';
import { isAppUrl } from './navigation-policy.js';

// The window loads app://switchboard/… rather than file://: the page gets a real origin of its own
// (so 'self' in its CSP means the built files and nothing else on disk) and the same headers
// `switchboard serve` sends. Wired to protocol.handle(APP_SCHEME, …) by the main process.

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** The response for one app:// request: a file of the built window under `root`, or 404. */
export async function appProtocolResponse(requestUrl: string, root: string): Promise<Response> {
  if (!isAppUrl(requestUrl)) return notFound();
  // Parsing already folded `..` and `%2e%2e` segments; resolveStaticFile refuses what is left (`..%2f`).
  const pathname = new URL(requestUrl).pathname || '/';
  const found = await resolveStaticFile(root, pathname);
  if (found === undefined) return notFound();
  const body = await readFile(found.file).catch(() => undefined);
  if (body === undefined) return notFound();
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...found.headers, 'Content-Length': String(body.byteLength) },
  });
}
