import type { Clock } from '../flow/clock.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { engineError } from '../../shared/errors.js';
import type {
  CallInfo,
  HookName,
  JsonObject,
  RequestMessage,
  SessionView,
  Tool,
  ToolCallContext,
  ToolResult,
} from './extension.js';
import type { ExtensionSlot } from './extension-slot.js';

/** An async hook that has not settled by then counts as a failure and is skipped. */
export const HOOK_TIMEOUT_MS = 10_000;

const SKIPPED = Symbol('skipped');
type Skipped = typeof SKIPPED;

export interface PipelineOptions {
  clock: Clock;
  /** A hook threw or timed out: the host logs it and counts it against the extension. */
  failed(slot: ExtensionSlot, hook: HookName, error: unknown): void;
}

/** An extension's own tool, found for a call: run it with the session's context. */
export type ExtensionToolRun = (args: JsonObject, ctx: ToolCallContext) => Promise<ToolResult>;

/**
 * Runs the hooks of the enabled extensions in registration order (DESIGN §8): times every call,
 * skips a hook that throws (and reports it), and never leaves a client without a reply. With no
 * extension enabled `active` is false and the gateway does not come here at all.
 */
export class HookPipeline {
  private slots: readonly ExtensionSlot[] = [];
  /** Per hook, the enabled slots whose instance has it: found once in use(), not per message. */
  private withHook = new Map<HookName, readonly ExtensionSlot[]>();
  active = false;

  constructor(private readonly options: PipelineOptions) {}

  /** The enabled extensions, in registration order. */
  use(slots: readonly ExtensionSlot[]): void {
    this.slots = slots.filter((s) => s.enabled);
    this.withHook = new Map();
    this.active = this.slots.length > 0;
  }

  /** The slots with this hook that apply to the server; `enabled` is read live (a slot may stop mid-sync). */
  private having(hook: HookName): readonly ExtensionSlot[] {
    let found = this.withHook.get(hook);
    if (!found) {
      found = this.slots.filter((s) => s.has(hook));
      this.withHook.set(hook, found);
    }
    return found;
  }

  /**
   * A client request through the request hooks, to the server (`send`), and its reply back through
   * the reply hooks. Resolves undefined when the client cancelled (no reply is due).
   */
  async request(
    call: CallInfo,
    request: RequestMessage,
    send: (request: RequestMessage) => Promise<JsonRpcMessage | undefined>,
  ): Promise<JsonRpcMessage | undefined> {
    let current = request;
    let reply: JsonRpcMessage | undefined;
    for (const slot of this.having('onRequest')) {
      if (!slot.enabled || !slot.appliesTo(call.server)) continue;
      const ran = this.runMaybeAsync(slot, 'onRequest', () => slot.instance!.onRequest!(current, call));
      const outcome = isPromise(ran) ? await ran : ran;
      if (outcome === SKIPPED) continue;
      if (outcome === null) {
        reply = blocked(slot, call, request);
        break;
      }
      if (outcome === current) continue;
      if ('method' in outcome && typeof outcome.method === 'string') {
        current = { ...outcome, jsonrpc: '2.0', id: request.id };
        continue;
      }
      reply =
        'error' in outcome
          ? { jsonrpc: '2.0', id: request.id, error: outcome.error }
          : { jsonrpc: '2.0', id: request.id, result: (outcome as { result: unknown }).result };
      break;
    }
    if (!reply) {
      reply = await send(current);
      if (reply === undefined) {
        for (const slot of this.having('onCancelled'))
          if (slot.enabled && slot.appliesTo(call.server))
            this.run(slot, 'onCancelled', () => slot.instance!.onCancelled!(call, current));
        return undefined;
      }
    }
    // Every reply goes back through the reply hooks, also one an extension made (the log sees it).
    for (const slot of this.having('onResponse')) {
      if (!slot.enabled || !slot.appliesTo(call.server)) continue;
      const input: JsonRpcMessage = reply;
      const ran = this.runMaybeAsync(slot, 'onResponse', () =>
        slot.instance!.onResponse!(input, call, current),
      );
      const out: JsonRpcMessage | null | Skipped = isPromise(ran) ? await ran : ran;
      // An unchanged reply is passed on as is: it already carries the client's id.
      if (out === SKIPPED || out === input) continue;
      reply = out === null ? blocked(slot, call, request) : { ...out, jsonrpc: '2.0', id: request.id };
    }
    return reply;
  }

  /** A server's notification to its clients; null when an extension dropped it. */
  notification(message: JsonRpcMessage, server: string): JsonRpcMessage | null {
    let current: JsonRpcMessage = message;
    for (const slot of this.having('onNotification')) {
      if (!slot.enabled || !slot.appliesTo(server)) continue;
      const input = current;
      const out = this.run(slot, 'onNotification', () => slot.instance!.onNotification!(input, server));
      if (out === SKIPPED) continue;
      if (out === null) return null;
      current = out;
    }
    return current;
  }

  /** One server's tools as this session may see them. */
  filterTools(server: string, tools: Tool[], view: SessionView): Tool[] {
    let current = tools;
    for (const slot of this.having('filterTools')) {
      if (!slot.enabled || !slot.appliesTo(server)) continue;
      const input = current;
      const out = this.run(slot, 'filterTools', () => slot.instance!.filterTools!(server, input, view));
      if (out !== SKIPPED && Array.isArray(out)) current = out;
    }
    return current;
  }

  /** The session's whole list: extension tools added, then the list hooks (tool-search) last. */
  finishToolList(tools: Tool[], view: SessionView): Tool[] {
    let current = tools;
    const extra = this.additionalTools(view);
    if (extra.length > 0) {
      const taken = new Set(extra.map((t) => t.name));
      current = [...current.filter((t) => !taken.has(t.name)), ...extra];
    }
    for (const slot of this.sessionSlots(view, 'onToolList')) {
      const input = current;
      const out = this.run(slot, 'onToolList', () => slot.instance!.onToolList!(input, view));
      if (out !== SKIPPED && Array.isArray(out)) current = out;
    }
    return current;
  }

  /** The extension that offers a tool of this name to this session, if one does. */
  extensionTool(name: string, view: SessionView): ExtensionToolRun | undefined {
    for (const slot of this.sessionSlots(view, 'handleToolCall')) {
      const offered = this.run(slot, 'getAdditionalTools', () => slot.instance!.getAdditionalTools?.(view));
      if (offered === SKIPPED || !offered?.some((t) => t.name === name)) continue;
      return async (args, ctx) => {
        const out = await this.runMaybeAsync(slot, 'handleToolCall', () =>
          slot.instance!.handleToolCall!(name, args, ctx),
        );
        if (out !== SKIPPED) return out;
        return {
          content: [{ type: 'text', text: `The ${slot.manifest.name} extension failed to answer ${name}.` }],
          isError: true,
        };
      };
    }
    return undefined;
  }

  /** A lifecycle hook on every enabled extension that applies (errors are reported, not thrown). */
  async lifecycle(
    hook: 'beforeRestart' | 'afterServerStart' | 'onToolsChanged',
    server: string,
    run: (slot: ExtensionSlot) => unknown,
  ): Promise<void> {
    for (const slot of this.slots)
      if (slot.has(hook) && slot.appliesTo(server)) await this.runMaybeAsync(slot, hook, () => run(slot));
  }

  private additionalTools(view: SessionView): Tool[] {
    const tools: Tool[] = [];
    for (const slot of this.sessionSlots(view, 'getAdditionalTools')) {
      const out = this.run(slot, 'getAdditionalTools', () => slot.instance!.getAdditionalTools!(view));
      if (out !== SKIPPED && Array.isArray(out)) tools.push(...out);
    }
    return tools;
  }

  /** Session-level hooks: on a server's own endpoint only where the extension applies to it. */
  private sessionSlots(view: SessionView, hook: HookName): ExtensionSlot[] {
    return this.slots.filter(
      (s) => s.has(hook) && (view.endpoint === 'aggregate' || s.appliesTo(view.server ?? '')),
    );
  }

  private run<T>(slot: ExtensionSlot, hook: HookName, fn: () => T): T | Skipped {
    const started = performance.now();
    try {
      return fn();
    } catch (err) {
      this.options.failed(slot, hook, err);
      return SKIPPED;
    } finally {
      slot.timings.record(performance.now() - started);
    }
  }

  /**
   * A hook that answers at once is timed and returned at once (no promise on the hot path); one that
   * returns a promise is bounded by HOOK_TIMEOUT_MS and timed until it settles.
   */
  private runMaybeAsync<T>(
    slot: ExtensionSlot,
    hook: HookName,
    fn: () => T | Promise<T>,
  ): T | Skipped | Promise<T | Skipped> {
    const started = performance.now();
    let value: T | Promise<T>;
    try {
      value = fn();
    } catch (err) {
      slot.timings.record(performance.now() - started);
      this.options.failed(slot, hook, err);
      return SKIPPED;
    }
    if (!isPromise(value)) {
      slot.timings.record(performance.now() - started);
      return value;
    }
    return this.bounded(value, slot, hook).then(
      (settled) => {
        slot.timings.record(performance.now() - started);
        return settled;
      },
      (err: unknown) => {
        slot.timings.record(performance.now() - started);
        this.options.failed(slot, hook, err);
        return SKIPPED;
      },
    );
  }

  private bounded<T>(value: Promise<T>, slot: ExtensionSlot, hook: HookName): Promise<T> {
    const { clock } = this.options;
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimeout(
        () => reject(new Error(`${slot.id}.${hook} did not finish within ${HOOK_TIMEOUT_MS / 1000} s`)),
        HOOK_TIMEOUT_MS,
      );
      value.then(
        (v) => {
          clock.clearTimeout(timer);
          resolve(v);
        },
        (err: unknown) => {
          clock.clearTimeout(timer);
          reject(err as Error);
        },
      );
    });
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function blocked(slot: ExtensionSlot, call: CallInfo, request: RequestMessage): JsonRpcMessage {
  const what = call.tool !== undefined ? `the call to ${call.tool}` : request.method;
  return {
    jsonrpc: '2.0',
    id: request.id,
    error: engineError('BLOCKED_BY_EXTENSION', {
      server: call.server,
      detail: `the ${slot.manifest.name} extension blocked ${what}`,
      extra: { extension: slot.id },
    }),
  };
}
