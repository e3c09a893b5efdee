import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import {
  discoverResult,
  MODERN_ERROR_CODES,
  modernError,
  modernResult,
  REMOVED_IN_MODERN,
  withoutEnvelope,
  type Envelope,
} from '../protocol/modern-era.js';
import { InputRounds } from './input-rounds.js';
import { ModernListens } from './modern-listens.js';
import { atOrAbove, isLogLevel } from './log-levels.js';
import { capabilityNeeded } from './downstream.js';
import { engineError, type JsonRpcErrorObject } from '../../shared/errors.js';

/** What `server/discover` tells about the server behind a session (or about the aggregate). */
export type DiscoverInfo =
  | {
      ok: true;
      capabilities: Record<string, unknown>;
      instructions?: string | undefined;
      serverInfo: unknown;
    }
  | { ok: false; error: { code: number; message: string; data?: unknown } };

/** What the modern side needs of its session. */
export interface ModernHost {
  onRequest(id: JsonRpcId, method: string, params: unknown): Promise<JsonRpcMessage | undefined>;
  discover(): Promise<DiscoverInfo>;
  /** Sends a message to the client on its transport (`relatedTo`: the request it belongs with). */
  send(message: JsonRpcMessage, relatedTo: JsonRpcId): boolean;
  /** A message from the client, as if it came in (the answers to the server's requests). */
  handle(message: JsonRpcMessage): Promise<JsonRpcMessage | undefined>;
  /** The session exists for one request only (a 2026-07-28 POST): it ends with its last round. */
  ephemeral(): boolean;
  endpoint(): string;
  rounds(): InputRounds;
  /** The capabilities the client's envelope declared. */
  declared(): Record<string, unknown>;
  close(): void;
}

type Outcome = { asks: JsonRpcMessage[] } | { reply: JsonRpcMessage | undefined };

/**
 * A session's 2026-07-28 side. That era has no server→client requests: when a legacy server asks
 * (sampling, elicitation, roots) while a request runs, the request ends in an input-required result
 * carrying the question; the client's retry brings the answer, which goes to the server, and the
 * request goes on, until the server's own result completes it. Besides results the client gets
 * progress of its requests, log messages where its envelope asked (`logLevel`), and list changes
 * over its `subscriptions/listen`; nothing else the server sends reaches it.
 */
export class ModernRequests {
  /** Rounds of this session that wait for their client. */
  parked = 0;
  private serverIdentity: unknown;
  /** The server's questions nobody waits for yet, with the client request they came with. */
  private readonly asked: { ask: JsonRpcMessage; relatedTo: JsonRpcId | undefined }[] = [];
  private readonly waiting = new Map<JsonRpcId, { take(ask: JsonRpcMessage): void }>();
  /** Requests resumed by a retry (maybe over another POST): where their progress goes now. */
  private readonly carriedBy = new Map<JsonRpcId, (message: JsonRpcMessage) => boolean>();
  /** The log level each running request asked for, by its id. */
  private readonly logLevels = new Map<JsonRpcId, string>();

  private readonly listens: ModernListens;

  constructor(private readonly host: ModernHost) {
    this.listens = new ModernListens(host);
  }

  /** A message from the server for this client: true when taken (false: the transport's to carry). */
  take(message: JsonRpcMessage, relatedTo: JsonRpcId | undefined): boolean {
    if (message.method === 'notifications/progress') {
      const carry = relatedTo === undefined ? undefined : this.carriedBy.get(relatedTo);
      if (!carry) return false;
      carry(message);
      return true;
    }
    if (message.method === 'notifications/message') {
      // Only with the request that asked for log messages (its envelope's logLevel), at that level.
      const min = relatedTo === undefined ? undefined : this.logLevels.get(relatedTo);
      const level = (message.params as { level?: unknown } | undefined)?.level;
      return min === undefined || !atOrAbove(level, min);
    }
    if (message.id === undefined || message.id === null) {
      this.listens.tell(message);
      return true; // other notifications have no way to a client of this era (logging: logLevel)
    }
    const waiter =
      (relatedTo !== undefined ? this.waiting.get(relatedTo) : undefined) ??
      (this.waiting.size === 1 ? [...this.waiting.values()][0] : undefined);
    if (waiter) waiter.take(message);
    else this.asked.push({ ask: message, relatedTo });
    return true;
  }

  async answer(
    id: JsonRpcId,
    method: string,
    params: unknown,
    envelope: Envelope,
  ): Promise<JsonRpcMessage | undefined> {
    if (method === 'server/discover') return this.discover(id);
    if (method === 'subscriptions/listen') return this.listens.listen(id, params);
    if (REMOVED_IN_MODERN.has(method))
      return errorReply(id, {
        code: -32601,
        message: `Method not found: ${method} is not part of protocol revision ${envelope.version}`,
      });
    const { requestState, inputResponses, ...rest } = (params ?? {}) as Record<string, unknown>;
    if (typeof requestState === 'string' && InputRounds.ours(requestState)) {
      const round = this.host.rounds().take(requestState, this.host.endpoint());
      if (!round)
        return errorReply(id, {
          code: -32602,
          message:
            'Invalid params: requestState is unknown or expired (rounds wait 10 minutes); send the request again without it',
        });
      const answers = typeof inputResponses === 'object' && inputResponses !== null ? inputResponses : {};
      return round.resume(id, answers as Record<string, unknown>, (message) => this.host.send(message, id));
    }
    if (envelope.logLevel !== undefined && isLogLevel(envelope.logLevel))
      this.logLevels.set(id, envelope.logLevel);
    // A 2026-07-28 server's own round: its state and the answers go back to it as they came.
    const retry = {
      ...(requestState !== undefined ? { requestState } : {}),
      ...(inputResponses !== undefined ? { inputResponses } : {}),
    };
    const reply = this.host.onRequest(id, method, withoutEnvelope({ ...rest, ...retry }));
    void reply.finally(() => this.logLevels.delete(id)).catch(() => undefined);
    return this.settle(id, id, method, reply);
  }

  /** The log level a running request's envelope asked for. */
  logLevelOf(id: JsonRpcId): string | undefined {
    return this.logLevels.get(id);
  }

  /** The client cancelled one of its requests: true when it was a listen (now ended). */
  endListen(requestId: unknown): boolean {
    return this.listens.end(requestId);
  }

  /** The session ends: every listen with it. */
  close(): void {
    this.listens.closeAll();
  }

  async discover(id: JsonRpcId): Promise<JsonRpcMessage> {
    const info = await this.host.discover();
    if (!info.ok) return errorReply(id, info.error);
    this.serverIdentity = info.serverInfo;
    return {
      jsonrpc: '2.0',
      id,
      result: modernResult('server/discover', discoverResult(info), info.serverInfo),
    };
  }

  /**
   * The next thing that happens to a request still running upstream: the server asks (an
   * input-required result for `id`, the round parked), or it answers (the result for `id`).
   */
  private async settle(
    id: JsonRpcId,
    original: JsonRpcId,
    method: string,
    reply: Promise<JsonRpcMessage | undefined>,
  ): Promise<JsonRpcMessage | undefined> {
    const outcome = await this.next(original, reply);
    if ('asks' in outcome) {
      const missing = this.undeclared(outcome.asks);
      if (missing) {
        // The server's questions are refused, its request ends, and the client hears what it lacks.
        for (const ask of outcome.asks)
          void this.host.handle({ jsonrpc: '2.0', id: ask.id!, error: missing.forServer });
        void this.host.handle({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: original },
        });
        return { jsonrpc: '2.0', id, error: missing.forClient };
      }
      this.parked++;
      const requestState = this.host.rounds().park({
        endpoint: this.host.endpoint(),
        resume: async (retryId, answers, carry) => {
          this.parked--;
          this.carriedBy.set(original, carry);
          for (const [key, result] of Object.entries(answers))
            await this.host.handle({ jsonrpc: '2.0', id: key, result });
          return this.settle(retryId, original, method, reply);
        },
        abandon: () => {
          this.parked--;
          if (this.host.ephemeral() && this.parked === 0) this.host.close();
          else
            void this.host.handle({
              jsonrpc: '2.0',
              method: 'notifications/cancelled',
              params: { requestId: original },
            });
        },
      });
      const inputRequests = Object.fromEntries(
        outcome.asks.map((ask) => [String(ask.id), { method: ask.method, params: ask.params }]),
      );
      const result = { resultType: 'input_required', inputRequests, requestState };
      return { jsonrpc: '2.0', id, result: await this.stamp(method, result) };
    }
    this.carriedBy.delete(original);
    if (this.host.ephemeral() && this.parked === 0 && id !== original) this.host.close();
    const done = outcome.reply;
    if (!done) return undefined;
    if (done.error) return { jsonrpc: '2.0', id, error: modernError(done.error) };
    return {
      jsonrpc: '2.0',
      id,
      result: await this.stamp(method, (done.result ?? {}) as Record<string, unknown>),
    };
  }

  /** A question the client's envelope did not declare the capability for: -32021, as 2026-07-28 says. */
  private undeclared(
    asks: JsonRpcMessage[],
  ): { forClient: JsonRpcErrorObject; forServer: JsonRpcErrorObject } | undefined {
    const declared = this.host.declared();
    for (const ask of asks) {
      const needed = capabilityNeeded(ask);
      if (needed.declaredBy(declared)) continue;
      const required = needed.label
        .split('.')
        .reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), {});
      return {
        forClient: {
          code: MODERN_ERROR_CODES.MISSING_CAPABILITY,
          message: `Cannot request input (${ask.method}): the request's client capabilities do not declare the required capability "${needed.label}"`,
          data: { requiredCapabilities: required },
        },
        forServer: engineError('NO_CAPABLE_CLIENT', {
          detail: `the client did not declare the "${needed.label}" capability`,
        }),
      };
    }
    return undefined;
  }

  private next(original: JsonRpcId, reply: Promise<JsonRpcMessage | undefined>): Promise<Outcome> {
    const mine = this.asked.filter((a) => a.relatedTo === original || a.relatedTo === undefined);
    if (mine.length > 0) {
      for (const a of mine) this.asked.splice(this.asked.indexOf(a), 1);
      return Promise.resolve({ asks: mine.map((a) => a.ask) });
    }
    return new Promise<Outcome>((resolve, reject) => {
      // One waiter per round: a reply that settles later must not end a newer round's wait.
      const waiter = {
        take: (ask: JsonRpcMessage) => {
          this.waiting.delete(original);
          resolve({ asks: [ask] });
        },
      };
      this.waiting.set(original, waiter);
      reply.then(
        (message) => {
          if (this.waiting.get(original) !== waiter) return;
          this.waiting.delete(original);
          resolve({ reply: message });
        },
        (err: unknown) => {
          if (this.waiting.get(original) === waiter) this.waiting.delete(original);
          reject(err as Error);
        },
      );
    });
  }

  /** The result in the era's shape, with the server's identity (asked once). */
  private async stamp(method: string, result: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.serverIdentity === undefined) {
      const info = await this.host.discover();
      if (info.ok) this.serverIdentity = info.serverInfo;
    }
    return modernResult(method, result, this.serverIdentity);
  }
}
