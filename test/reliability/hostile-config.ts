import type { ServedEngine } from '../integration/serve-harness.js';
import { api } from './hostile-api.js';

/** `GET /api/v1/config`: the config in force and, while the file on disk is bad, its problems. */
export interface ConfigView {
  file: string;
  config: Record<string, unknown>;
  problems?: { path: string; message: string }[];
}

/** Polls the config view until `check` holds (bounded); throws with the last view otherwise. */
export async function untilConfig(
  engine: Pick<ServedEngine, 'url' | 'token'>,
  check: (view: ConfigView) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<ConfigView> {
  const deadline = Date.now() + timeoutMs;
  let last: ConfigView | undefined;
  while (Date.now() < deadline) {
    last = (await api(engine, 'GET', '/api/v1/config')).json as ConfigView;
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 500)}`);
}
