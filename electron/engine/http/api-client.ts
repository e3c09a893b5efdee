import {
  apiOperations,
  apiStreams,
  type ApiInput,
  type ApiName,
  type ApiOutput,
  type ApiStreamInput,
  type ApiStreamItem,
  type ApiStreamName,
} from '../../shared/api.js';
import { httpRequestFor } from '../../shared/api-http.js';
import { EngineClientError } from './engine-client-error.js';
import type { EngineInfo } from './engine-info.js';

/** The running engine's control API, typed by the API table (every URL comes from the table). */
export class EngineClient {
  constructor(private readonly engine: Pick<EngineInfo, 'url' | 'token'>) {}

  async call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
    const request = httpRequestFor(apiOperations[name].http, input as Record<string, unknown>);
    const response = await this.fetch(request.path, {
      method: request.method,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new EngineClientError(body.error ?? `the engine answered ${response.status}`);
    return body as ApiOutput<N>;
  }

  /** Each item of a stream (server-sent events) until it ends or `signal` aborts (then it just ends). */
  async *stream<S extends ApiStreamName>(
    name: S,
    input: ApiStreamInput<S>,
    signal: AbortSignal,
  ): AsyncGenerator<ApiStreamItem<S>> {
    const request = httpRequestFor(apiStreams[name].http, input as Record<string, unknown>);
    const response = await this.fetch(request.path, { method: request.method, signal });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      throw new EngineClientError(body.error ?? `the engine answered ${response.status}`);
    }
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = pending.indexOf('\n\n')) !== -1) {
          const event = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = event
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (data) yield JSON.parse(data) as ApiStreamItem<S>;
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw new EngineClientError(`the engine's stream broke off: ${(err as Error).message}`);
    }
  }

  /** A link that signs a browser in to the window once, within a minute (`switchboard open`). */
  async signInLink(): Promise<string> {
    const response = await this.fetch('/api/v1/dashboard/code', { method: 'POST' });
    const body = (await response.json().catch(() => ({}))) as { url?: string; error?: string };
    if (!response.ok || !body.url)
      throw new EngineClientError(body.error ?? `the engine answered ${response.status}`);
    return body.url;
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.engine.url}${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${this.engine.token}`,
          ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
      });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new EngineClientError(`cannot reach the engine at ${this.engine.url}: ${(err as Error).message}`);
    }
  }
}
