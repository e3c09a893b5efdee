import { z } from 'zod';
import { engineError } from '../../../../shared/errors.js';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import type {
  CallInfo,
  Extension,
  ExtensionContext,
  JsonObject,
  RequestMessage,
  RequestOutcome,
} from '../../extension.js';

export const CIRCUIT_BREAKER_ID = 'circuit-breaker';

const schema = z.object({
  failureThreshold: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe('Failed calls in a row that open the circuit of a server (pause calls to it).')
    .meta({ title: 'Failures that open the circuit' }),
  cooldownSeconds: z
    .number()
    .min(1)
    .max(3600)
    .default(30)
    .describe('How long calls stay paused before one trial call checks whether the server recovered.')
    .meta({ title: 'Pause for (seconds)' }),
});

export type CircuitBreakerConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

/** What a reply says about the server's health. */
export type ReplyVerdict = 'success' | 'failure' | 'ignored';

/** Errors that are the client's mistake, not the server's. */
const CLIENT_MISTAKE_CODES = new Set([-32600, -32601, -32602]);
/** Engine refusals: the request never reached the server, so they say nothing about it. */
const NOT_FROM_THE_SERVER = new Set([
  'rate_limited',
  'circuit_open',
  'blocked_by_extension',
  'unknown_server',
  'message_too_large',
  'no_capable_client',
  'shutting_down',
]);

/**
 * Any other error counts, the engine's own included (request_timeout, server_unavailable, server_exited…).
 * A tool result with isError is a success: the server worked, the tool said no.
 */
export function classifyReply(reply: JsonRpcMessage): ReplyVerdict {
  const error = reply.error;
  if (!error) return 'success';
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string' && NOT_FROM_THE_SERVER.has(reason)) return 'ignored';
  if (CLIENT_MISTAKE_CODES.has(error.code)) return 'ignored';
  return 'failure';
}

/** How long a refused caller should wait while a trial call is out. */
export const PROBE_RETRY_MS = 1000;
/** A trial call with no reply and no cancel for this long is presumed lost; the next request probes. */
export const PROBE_LOST_MS = 10 * 60_000;

export type CircuitStateName = 'closed' | 'open' | 'half-open';
export type Transition = 'opened' | 'half-opened' | 'closed' | 'reopened';

type State =
  | { name: 'closed'; failures: number }
  | { name: 'open'; until: number; failures: number }
  | { name: 'half-open'; probe?: { call: CallInfo; since: number } };

export type Admission = { pass: true } | { pass: false; retryAfterMs: number; probing: boolean };

export interface CircuitSettings {
  failureThreshold: number;
  cooldownMs: number;
}

/**
 * One server's circuit: closed (calls flow, failures counted), open (calls refused until the
 * cooldown ends), half-open (one trial call goes; its reply closes or reopens the circuit).
 * Time is passed in, so the whole machine runs on a fake clock.
 */
export class Circuit {
  private state: State = { name: 'closed', failures: 0 };
  /** The last failure's message, for the refusal. */
  lastError: string | undefined;

  constructor(private readonly settings: () => CircuitSettings) {}

  get stateName(): CircuitStateName {
    return this.state.name;
  }

  /** Failures in a row (while closed), or the count that opened the circuit. */
  get failures(): number {
    return this.state.name === 'half-open' ? 0 : this.state.failures;
  }

  /** Decides whether a request goes; the transition is 'half-opened' when the cooldown just ended. */
  admit(call: CallInfo, now: number): { admission: Admission; transition?: Transition } {
    let transition: Transition | undefined;
    if (this.state.name === 'open') {
      if (now < this.state.until)
        return { admission: { pass: false, retryAfterMs: this.state.until - now, probing: false } };
      transition = this.halfOpen();
    }
    if (this.state.name === 'half-open') {
      const probe = this.state.probe;
      if (probe && now - probe.since < PROBE_LOST_MS)
        return {
          admission: { pass: false, retryAfterMs: PROBE_RETRY_MS, probing: true },
          ...(transition ? { transition } : {}),
        };
      this.state.probe = { call, since: now };
    }
    return { admission: { pass: true }, ...(transition ? { transition } : {}) };
  }

  /** Counts a reply. While open or half-open only the trial call's reply matters. */
  record(call: CallInfo, verdict: ReplyVerdict, now: number, error?: string): Transition | undefined {
    if (verdict === 'failure' && error !== undefined) this.lastError = error;
    switch (this.state.name) {
      case 'closed':
        if (verdict === 'success') this.state.failures = 0;
        if (verdict !== 'failure') return undefined;
        this.state.failures++;
        return this.state.failures >= this.settings().failureThreshold
          ? this.open(now, this.state.failures)
          : undefined;
      case 'open':
        return undefined;
      case 'half-open':
        if (this.state.probe?.call !== call) return undefined;
        if (verdict === 'success') return this.close();
        if (verdict === 'failure') return this.reopen(now);
        // The trial never reached the server (e.g. rate limited): the next request tries again.
        this.state.probe = undefined;
        return undefined;
    }
  }

  /** A cancelled trial call will get no reply: the next request probes instead. */
  cancelled(call: CallInfo): void {
    if (this.state.name === 'half-open' && this.state.probe?.call === call) this.state.probe = undefined;
  }

  /** Milliseconds until the next trial call may go (0 unless open). */
  retryAfterMs(now: number): number {
    return this.state.name === 'open' ? Math.max(0, this.state.until - now) : 0;
  }

  private open(now: number, failures: number): Transition {
    this.state = { name: 'open', until: now + this.settings().cooldownMs, failures };
    return 'opened';
  }

  private halfOpen(): Transition {
    this.state = { name: 'half-open' };
    return 'half-opened';
  }

  private reopen(now: number): Transition {
    this.open(now, this.settings().failureThreshold);
    return 'reopened';
  }

  private close(): Transition {
    this.state = { name: 'closed', failures: 0 };
    this.lastError = undefined;
    return 'closed';
  }
}

/** A server's circuit as the window shows it. */
export interface CircuitView {
  server: string;
  state: CircuitStateName;
  failures: number;
  retryAfterMs: number;
}

export class CircuitBreaker implements Extension {
  readonly id = CIRCUIT_BREAKER_ID;
  readonly name = 'Circuit breaker';
  readonly version = '1.0.0';
  readonly description =
    'Pauses calls to a server that keeps failing, so clients get a quick answer instead of waiting on ' +
    'timeouts; after a cooldown one trial call checks whether it recovered.';
  readonly defaultEnabled = false;
  readonly configSchema = configSchema;

  private ctx: ExtensionContext | undefined;
  private config: CircuitBreakerConfig = schema.parse({});
  private readonly circuitsByServer = new Map<string, Circuit>();

  initialize(ctx: ExtensionContext): void {
    this.ctx = ctx;
    this.configure(ctx.config);
  }

  configure(config: JsonObject): void {
    this.config = schema.parse(config);
  }

  onRequest(request: RequestMessage, call: CallInfo): RequestOutcome {
    const circuit = this.circuitOf(call.server);
    const { admission, transition } = circuit.admit(call, this.now());
    if (transition) this.announce(call.server, circuit, transition);
    if (admission.pass) return request;
    const seconds = Math.ceil(admission.retryAfterMs / 1000);
    const cause = circuit.lastError ? ` (last error: ${circuit.lastError})` : '';
    const detail = admission.probing
      ? `a trial call is checking whether "${call.server}" recovered; retry in a moment`
      : `"${call.server}" failed ${circuit.failures} times in a row${cause}; calls are paused for ${seconds} s more`;
    return {
      error: engineError('CIRCUIT_OPEN', {
        server: call.server,
        detail,
        extra: { extension: CIRCUIT_BREAKER_ID, retryAfterMs: admission.retryAfterMs },
      }),
    };
  }

  onResponse(reply: JsonRpcMessage, call: CallInfo): JsonRpcMessage {
    const verdict = classifyReply(reply);
    const message = reply.error?.message.slice(0, 200);
    const circuit = this.circuitOf(call.server);
    const transition = circuit.record(call, verdict, this.now(), message);
    if (transition) this.announce(call.server, circuit, transition);
    return reply;
  }

  onCancelled(call: CallInfo): void {
    this.circuitsByServer.get(call.server)?.cancelled(call);
  }

  /** Every server whose circuit is not closed or has counted failures. */
  circuits(): CircuitView[] {
    const now = this.now();
    return [...this.circuitsByServer]
      .filter(([, circuit]) => circuit.stateName !== 'closed' || circuit.failures > 0)
      .map(([server, circuit]) => ({
        server,
        state: circuit.stateName,
        failures: circuit.failures,
        retryAfterMs: circuit.retryAfterMs(now),
      }));
  }

  private announce(server: string, circuit: Circuit, transition: Transition): void {
    const ctx = this.requireContext();
    const { cooldownSeconds } = this.config;
    switch (transition) {
      case 'opened':
        ctx.notify(
          `circuit opened for ${server} after ${circuit.failures} failures; calls paused for ${cooldownSeconds}s`,
        );
        break;
      case 'reopened':
        // One notice per outage: a dead server would otherwise notify every cooldown.
        ctx.log.info(
          `circuit for ${server}: the trial call failed; calls paused for ${cooldownSeconds}s more`,
        );
        break;
      case 'half-opened':
        ctx.log.info(`circuit for ${server}: cooldown over; the next call is a trial`);
        break;
      case 'closed':
        ctx.notify(`circuit closed for ${server}: it answered again; calls flow`);
        break;
    }
    ctx.changed();
  }

  private circuitOf(server: string): Circuit {
    let circuit = this.circuitsByServer.get(server);
    if (!circuit) {
      circuit = new Circuit(() => ({
        failureThreshold: this.config.failureThreshold,
        cooldownMs: this.config.cooldownSeconds * 1000,
      }));
      this.circuitsByServer.set(server, circuit);
    }
    return circuit;
  }

  private now(): number {
    return this.requireContext().clock.now();
  }

  private requireContext(): ExtensionContext {
    if (!this.ctx) throw new Error('the circuit-breaker extension is not initialized');
    return this.ctx;
  }
}

export function createCircuitBreaker(): CircuitBreaker {
  return new CircuitBreaker();
}
