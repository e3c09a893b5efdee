import type { EngineEvent, RestartEvent } from '../../electron/shared/events.js';

/** The engine's `/events` stream (SSE, one `data:` line of JSON per event), collected as it comes. */
export class EventReader {
  readonly events: EngineEvent[] = [];
  private readonly abort = new AbortController();

  private constructor() {}

  /** Resolves once the engine answered, so no event after this call is missed. */
  static async open(url: string, token: string): Promise<EventReader> {
    const reader = new EventReader();
    const res = await fetch(`${url}/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: reader.abort.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`/events answered ${res.status}`);
    void reader.read(res.body).catch(() => undefined); // ends with close() or the engine
    return reader;
  }

  restarts(server: string): RestartEvent[] {
    return this.events.filter((e): e is RestartEvent => e.type === 'server.restart' && e.server === server);
  }

  /** Waits (bounded) until `check` holds for the events so far. */
  async until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of body) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines)
        if (line.startsWith('data: ')) this.events.push(JSON.parse(line.slice(6)) as EngineEvent);
    }
  }
}
