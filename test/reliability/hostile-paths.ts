/** Static paths that try to leave the window's folder (dist/renderer) for files nearby or the system's. */
const STATIC_TRAVERSALS = [
  '/../../../../etc/passwd',
  '/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
  '/assets/..%2f..%2f..%2fpackage.json',
  '/..%5c..%5c..%5cpackage.json',
  '/%252e%252e/%252e%252e/package.json',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
  '/index.html%00.js',
  '/%00',
  '//etc/passwd',
  '/.%2e/.%2e/.%2e/dashboard.key',
  '/%2e%2e/%2e%2e/%2e%2e/engine.json',
];

/** `:name` values that decode to paths, NULs, or invalid percent-encoding. */
const NAME_TRAVERSALS = [
  '..%2f..%2fconfig.json',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2fengine.json',
  'echo%00',
  '%00',
  '..%5c..%5cconfig',
  '%252e%252e',
  'echo%2f..%2f..',
  '%c0%ae%c0%ae',
  '%ff',
];

export interface PlainRequest {
  method: string;
  path: string;
  body?: string;
}

/** Every traversal against the static files and every route with a name in its path. */
export function traversalRequests(serverConfig: unknown): PlainRequest[] {
  const requests: PlainRequest[] = STATIC_TRAVERSALS.map((path) => ({ method: 'GET', path }));
  for (const name of NAME_TRAVERSALS) {
    for (const tail of ['', '/logs', '/restarts', '/tools', '/stats', '/credentials', '/auth'])
      requests.push({ method: 'GET', path: `/api/v1/servers/${name}${tail}` });
    requests.push(
      { method: 'POST', path: `/api/v1/servers/${name}/restart` },
      { method: 'DELETE', path: `/api/v1/servers/${name}` },
      { method: 'PUT', path: `/api/v1/servers/${name}`, body: JSON.stringify({ config: serverConfig }) },
      { method: 'PUT', path: `/api/v1/secrets/${name}`, body: '{"value":"v"}' },
      { method: 'POST', path: `/api/v1/clients/${name}/install`, body: '{}' },
      { method: 'POST', path: `/mcp/${name}` },
    );
  }
  return requests;
}
