import { onUnmounted, ref, shallowRef } from 'vue';
import type { Bridge } from '../../bridge/bridge.js';
import type { JsonRpcErrorObject } from '../../../../electron/shared/errors.js';
import type { ToolCallItem, ToolCallOutcome } from '../../../../electron/shared/tool-call-events.js';
import type { ServerAsk } from './server-question.js';

export type CallProgress = { progress: number; total?: number; message?: string };
export type CallLog = Extract<ToolCallItem, { kind: 'log' }>;

/**
 * One tool call at a time, as the window makes it (startToolCall, then followToolCall): what it shows
 * while running (progress, the server's open questions, logs), how it ended, and the person's part
 * (answer a question, cancel). A follower that reconnects is given every event again: `seq` skips repeats.
 */
export function useToolCall(bridge: Bridge) {
  const calling = ref(false);
  const progress = ref<CallProgress>();
  const asks = ref<ServerAsk[]>([]);
  const logs = ref<CallLog[]>([]);
  const outcome = shallowRef<ToolCallOutcome>();
  const problem = ref('');
  let call: string | undefined;
  let seen = 0;
  let unfollow: (() => void) | undefined;

  function stopFollowing(): void {
    unfollow?.();
    unfollow = undefined;
  }

  function onItem(item: ToolCallItem): void {
    if (item.seq <= seen) return;
    seen = item.seq;
    if (item.kind === 'progress') progress.value = item;
    else if (item.kind === 'request') asks.value = [...asks.value, item];
    else if (item.kind === 'request-withdrawn')
      asks.value = asks.value.filter((a) => a.request !== item.request);
    else if (item.kind === 'log') logs.value = [...logs.value.slice(-49), item];
    else {
      outcome.value = item.outcome;
      asks.value = [];
      calling.value = false;
      stopFollowing();
    }
  }

  async function start(server: string, tool: string, args: Record<string, unknown>): Promise<void> {
    stopFollowing();
    calling.value = true;
    progress.value = undefined;
    asks.value = [];
    logs.value = [];
    outcome.value = undefined;
    problem.value = '';
    seen = 0;
    try {
      const started = await bridge.call('startToolCall', { server, tool, arguments: args });
      call = started.call;
      unfollow = bridge.subscribe('followToolCall', { call: started.call }, { item: onItem });
    } catch (err) {
      problem.value = (err as Error).message;
      calling.value = false;
    }
  }

  async function cancel(): Promise<void> {
    if (!call || !calling.value) return;
    try {
      await bridge.call('cancelToolCall', { call });
    } catch (err) {
      problem.value = (err as Error).message;
    }
  }

  /** The person's answer to a question of the server's; it leaves the list at once. */
  async function answer(
    ask: ServerAsk,
    reply: { result: Record<string, unknown> } | { error: JsonRpcErrorObject },
  ) {
    if (!call) return;
    asks.value = asks.value.filter((a) => a.request !== ask.request);
    try {
      await bridge.call('answerToolCall', { call, request: ask.request, ...reply });
    } catch (err) {
      problem.value = (err as Error).message;
    }
  }

  /** Forgets how the last call ended, e.g. once its arguments were changed; a call still out stays. */
  function clear(): void {
    if (calling.value) return;
    outcome.value = undefined;
    problem.value = '';
    progress.value = undefined;
  }

  // Leaving the tester ends its call: nobody is left to answer the server.
  onUnmounted(() => {
    void cancel();
    stopFollowing();
  });
  return { calling, progress, asks, logs, outcome, problem, start, cancel, answer, clear };
}
