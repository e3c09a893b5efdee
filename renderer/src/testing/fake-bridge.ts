import type {
  ApiInput,
  ApiName,
  ApiOutput,
  ApiStreamItem,
  ApiStreamName,
} from '../../../electron/shared/api.js';
import { BridgeError, type Bridge, type StreamHandlers, type StreamStatus } from '../bridge/bridge.js';

type Answer<N extends ApiName> = (input: ApiInput<N>) => ApiOutput<N> | Promise<ApiOutput<N>>;

/**
 * A Bridge for component tests: answers each operation from a handler the test gives (an operation
 * without one is refused with 501, so a test sees what it forgot), records every call, and lets the
 * test push stream items and statuses.
 */
export class FakeBridge implements Bridge {
  readonly calls: { name: ApiName; input: unknown }[] = [];
  private readonly answers = new Map<ApiName, Answer<never>>();
  private readonly streams: { name: ApiStreamName; input: unknown; handlers: StreamHandlers<never> }[] = [];
  private readonly backlogs = new Map<ApiStreamName, (input: never) => unknown[]>();

  /** What a stream delivers as soon as it opens, as the engine replays a backlog (logs, a call's events). */
  backlog<S extends ApiStreamName>(name: S, items: (input: never) => ApiStreamItem<S>[]): this {
    this.backlogs.set(name, items);
    return this;
  }

  answer<N extends ApiName>(name: N, answer: Answer<N>): this {
    this.answers.set(name, answer as unknown as Answer<never>);
    return this;
  }

  /** Makes an operation fail the way the engine would. */
  refuse(name: ApiName, status: number, error: string, problems?: { path: string; message: string }[]): this {
    this.answers.set(name, () => {
      throw new BridgeError(status, { error, ...(problems ? { problems } : {}) });
    });
    return this;
  }

  async call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
    this.calls.push({ name, input });
    const answer = this.answers.get(name);
    if (!answer) throw new BridgeError(501, { error: `FakeBridge: no answer for ${name}` });
    return (await answer(input as never)) as ApiOutput<N>;
  }

  subscribe<S extends ApiStreamName>(
    name: S,
    input: unknown,
    handlers: StreamHandlers<ApiStreamItem<S>>,
  ): () => void {
    const entry = { name, input, handlers: handlers as StreamHandlers<never> };
    this.streams.push(entry);
    for (const item of this.backlogs.get(name)?.(input as never) ?? []) handlers.item(item as never);
    return () => {
      const at = this.streams.indexOf(entry);
      if (at !== -1) this.streams.splice(at, 1);
    };
  }

  /** Delivers an item to every open stream of that name. */
  push<S extends ApiStreamName>(name: S, item: ApiStreamItem<S>): void {
    for (const s of this.streams) if (s.name === name) s.handlers.item(item as never);
  }

  setStatus(name: ApiStreamName, status: StreamStatus): void {
    for (const s of this.streams) if (s.name === name) s.handlers.status?.(status);
  }

  /** The inputs of the open streams of that name. */
  openStreams(name: ApiStreamName): unknown[] {
    return this.streams.filter((s) => s.name === name).map((s) => s.input);
  }

  callsOf(name: ApiName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }
}
