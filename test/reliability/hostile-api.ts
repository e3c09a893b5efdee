import type { ServedEngine } from '../integration/serve-harness.js';

/** A well-behaved control API call (bearer token, JSON), to check on the engine between attacks. */
export async function api(
  engine: Pick<ServedEngine, 'url' | 'token'>,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(`${engine.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** The pid of the echo fixture behind `server` (its `version` tool says), via the control API. */
export async function serverPid(
  engine: Pick<ServedEngine, 'url' | 'token'>,
  server: string,
): Promise<number> {
  const answer = await api(engine, 'POST', `/api/v1/servers/${server}/tools/call`, {
    tool: 'version',
    arguments: {},
  });
  const text = (answer.json as { result?: { content?: { text?: string }[] } } | undefined)?.result
    ?.content?.[0]?.text;
  if (answer.status !== 200 || text === undefined)
    throw new Error(`version of ${server}: ${answer.status} ${answer.text}`);
  return (JSON.parse(text) as { pid: number }).pid;
}
