import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthError } from './oauth-error.js';

/** The path the browser comes back to. */
export const REDIRECT_PATH = '/callback';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:PORT/callback` (RFC 8252 §7.3: loopback IP literal, any port). */
  redirectUri: string;
  /** The query of the first request to the redirect path that carries `code` or `error`. */
  result: Promise<URLSearchParams>;
  close(): void;
}

function page(title: string, text: string): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><body style="font:16px system-ui;margin:3em"><h1>${escape(title)}</h1><p>${escape(text)}</p></body>`;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * A one-shot HTTP listener on loopback for the authorization response. It takes the preferred
 * port when it is free (a registered redirect URI keeps working), otherwise any port.
 */
export async function startLoopbackRedirect(options: {
  preferredPort?: number;
  /** The port must be exactly this one (a pre-registered client's redirect URI). */
  strictPort?: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<LoopbackRedirect> {
  let settle: { resolve: (q: URLSearchParams) => void; reject: (e: Error) => void } | undefined;
  const result = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // the caller may stop listening before awaiting
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== REDIRECT_PATH || (!url.searchParams.has('code') && !url.searchParams.has('error'))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const failed = url.searchParams.get('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        failed
          ? page(
              'Sign-in failed',
              `The authorization server said: ${failed}. Go back to Switchboard to try again.`,
            )
          : page('Signed in', 'Switchboard has your sign-in. You can close this tab.'),
      );
    settle?.resolve(url.searchParams);
  });
  let port: number;
  const wanted = options.preferredPort ?? 0;
  try {
    port = await listen(server, wanted);
  } catch (err) {
    if (wanted === 0 || options.strictPort)
      throw new OAuthError(
        `cannot listen on 127.0.0.1:${wanted} for the sign-in redirect (${(err as Error).message}); free the port or change "oauth.redirectPort"`,
      );
    port = await listen(server, 0);
  }
  const close = () => {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections();
    settle?.reject(new OAuthError('the sign-in was cancelled'));
  };
  const timer = setTimeout(() => {
    settle?.reject(
      new OAuthError(
        `the browser did not come back within ${Math.round(options.timeoutMs / 1000)} s; sign in again`,
      ),
    );
    close();
  }, options.timeoutMs);
  timer.unref();
  const onAbort = () => close();
  options.signal.addEventListener('abort', onAbort, { once: true });
  return { redirectUri: `http://127.0.0.1:${port}${REDIRECT_PATH}`, result, close };
}
