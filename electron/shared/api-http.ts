/**
 * The HTTP side of the API table (electron/shared/api.ts): where an operation lives over HTTP, and the
 * request that carries an input there (for HTTP clients: the CLI, the browser bridge).
 *
 * The renderer imports this file: it must import nothing from node or from electron/engine.
 */

/**
 * Where an operation lives over HTTP. `:name` segments of the path are taken from the input; the rest
 * of the input travels as query parameters for GET and DELETE, and as the JSON body for POST and PUT.
 */
export interface HttpBinding {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Query parameters that select this binding over another on the same path (e.g. `follow=1`). */
  readonly flags?: Readonly<Record<string, string>>;
}

export interface HttpRequestSpec {
  method: HttpBinding['method'];
  /** Path and query, e.g. `/api/v1/servers/notes/logs?lines=20`. */
  path: string;
  /** JSON text, for POST and PUT. */
  body?: string;
}

/** The `:name` segments of a path template. */
export function pathParams(template: string): string[] {
  return template
    .split('/')
    .filter((segment) => segment.startsWith(':'))
    .map((segment) => segment.slice(1));
}

/** The request that carries `input` over `binding`: path params filled in, the rest as query or body. */
export function httpRequestFor(binding: HttpBinding, input: Record<string, unknown>): HttpRequestSpec {
  const names = pathParams(binding.path);
  const rest: Record<string, unknown> = { ...input };
  let path = binding.path;
  for (const name of names) {
    const value = rest[name];
    if (value === undefined || value === null || value === '') throw new Error(`"${name}" is required`);
    path = path.replace(`:${name}`, encodeURIComponent(String(value)));
    delete rest[name];
  }
  const query = new URLSearchParams(binding.flags);
  const inQuery = binding.method === 'GET' || binding.method === 'DELETE';
  if (inQuery) {
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) query.set(key, String(value));
  }
  const search = query.toString();
  return {
    method: binding.method,
    path: search ? `${path}?${search}` : path,
    ...(inQuery ? {} : { body: JSON.stringify(rest) }),
  };
}
