import { apiOperations, apiStreams } from '../../electron/shared/api.js';
import { pathParams } from '../../electron/shared/api-http.js';

export interface Route {
  method: string;
  /** Path and query, params filled in. */
  path: string;
  /** Needs the bearer token. */
  auth: boolean;
}

/** Sample values for the `:name` segments, so every templated route is reachable. */
const SAMPLE: Record<string, string> = {
  server: 'echo',
  name: 'hostile-secret',
  client: 'claude-desktop',
  extension: 'request-logger',
  call: '00000000-0000-4000-8000-000000000000',
};

/**
 * Every documented route: the API table (operations and streams, read from electron/shared/api.ts
 * so that a new route is covered without editing this list), and the ones http-server.ts adds.
 */
export function everyRoute(): Route[] {
  const fill = (template: string) => {
    let path = template;
    for (const name of pathParams(template)) {
      const value = SAMPLE[name];
      if (value === undefined) throw new Error(`no sample value for :${name} in ${template}; add one`);
      path = path.replace(`:${name}`, value);
    }
    return path;
  };
  const table = [...Object.values(apiOperations), ...Object.values(apiStreams)].map((spec) => {
    const query = new URLSearchParams(spec.http.flags).toString();
    return {
      method: spec.http.method,
      path: fill(spec.http.path) + (query ? `?${query}` : ''),
      auth: spec.auth,
    };
  });
  return [
    { method: 'GET', path: '/healthz', auth: false },
    { method: 'GET', path: '/readyz', auth: false },
    { method: 'GET', path: '/metrics', auth: false },
    { method: 'GET', path: '/', auth: false },
    { method: 'GET', path: '/index.html', auth: false },
    { method: 'POST', path: '/auth/session', auth: false },
    { method: 'POST', path: '/api/v1/dashboard/code', auth: true },
    { method: 'POST', path: '/mcp/echo', auth: false },
    { method: 'GET', path: '/mcp/echo', auth: false },
    { method: 'DELETE', path: '/mcp/echo', auth: false },
    { method: 'POST', path: '/mcp', auth: false },
    { method: 'GET', path: '/mcp', auth: false },
    ...table,
  ];
}

/** Hosts a DNS-rebinding page (or a confused proxy) would send; `port` is the engine's. */
export function hostileHosts(port: number): string[] {
  return [
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1.nip.io:${port}`,
    `localhost.evil.example:${port}`,
    `localhost.:${port}`,
    `127.0.0.1:${port + 1}`,
    `0.0.0.0:${port}`,
    `127.1:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `127.0.0.1:${port}@evil.example`,
    `127.0.0.1`,
  ];
}

/** Origins of other sites, with the engine's own Host. */
export function hostileOrigins(port: number): string[] {
  return [
    'http://evil.example',
    'null',
    `http://127.0.0.1:${port}.evil.example`,
    `https://127.0.0.1:${port}`,
    `http://localhost:${port + 1}`,
    'file://',
    `http://127.0.0.1:${port}@evil.example`,
  ];
}

/** Authorization (or a cookie) that must not pass for `token`. */
export function forgedCredentials(token: string): Record<string, string>[] {
  return [
    {},
    { authorization: 'Bearer wrong' },
    { authorization: `Bearer ${token}x` },
    { authorization: `Bearer ${token.slice(0, -1)}` },
    // (Not `Bearer TOKEN ` with a trailing space: HTTP trims header values, so that is the token.)
    { authorization: `Bearer  ${token}` },
    { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
    { authorization: 'Bearer ' },
    { authorization: `Bearer ${'x'.repeat(8 * 1024)}` },
    { cookie: 'switchboard_session=forged.signature' },
  ];
}
