import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../flow/clock.js';
import type { JsonRpcMessage } from '../../jsonrpc/messages.js';
import { FakeClock } from '../../testing/fake-clock.js';
import type { CallInfo, ExtensionContext, JsonObject, RequestMessage, Tool } from '../extension.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A context for unit tests of one extension: records what it logs, notifies and sends. */
export interface FakeContext extends ExtensionContext {
  config: JsonObject;
  readonly logs: string[];
  readonly notices: string[];
  readonly sent: { message: JsonRpcMessage; server?: string }[];
  changes: number;
  tools: Record<string, Tool[]>;
}

export function fakeContext(
  options: { id?: string; config?: JsonObject; clock?: Clock; tools?: Record<string, Tool[]> } = {},
): FakeContext {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const dataDir = mkdtempSync(path.join(REPO, '.tmp-test', `ext-${options.id ?? 'test'}-`));
  const logs: string[] = [];
  const ctx: FakeContext = {
    id: options.id ?? 'test',
    dataDir,
    config: options.config ?? {},
    clock: options.clock ?? new FakeClock(),
    logs,
    notices: [],
    sent: [],
    changes: 0,
    tools: options.tools ?? {},
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      error: (m) => logs.push(`error: ${m}`),
    },
    notify: (m) => ctx.notices.push(m),
    changed: () => void ctx.changes++,
    notifyClients: (message, server) => ctx.sent.push({ message, ...(server ? { server } : {}) }),
    toolsOf: (server) => ctx.tools[server] ?? [],
    servers: () => Object.keys(ctx.tools),
  };
  return ctx;
}

/** A call and its request, as the host hands them to message hooks. */
export function fakeCall(partial: Partial<CallInfo> & { method: string; params?: unknown; id?: number }): {
  call: CallInfo;
  request: RequestMessage;
} {
  const { params, id = 1, ...rest } = partial;
  const tool =
    partial.method === 'tools/call' ? String((params as { name?: unknown } | undefined)?.name) : undefined;
  const call: CallInfo = {
    session: 's1',
    endpoint: 'server',
    server: 'echo',
    startedAt: 0,
    ...(tool !== undefined ? { tool } : {}),
    ...rest,
  };
  return { call, request: { jsonrpc: '2.0', id, method: partial.method, params } };
}
