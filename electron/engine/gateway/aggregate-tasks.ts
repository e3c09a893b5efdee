import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Downstream } from './downstream.js';
import type { ReadyServer } from './session-servers.js';
import { taskIdOf, taskNotFound } from './task-owners.js';

type Capability = Record<string, unknown>;

export const TASK_METHODS: ReadonlySet<string> = new Set([
  'tasks/list',
  'tasks/get',
  'tasks/result',
  'tasks/cancel',
]);

/**
 * The aggregated endpoint's `tasks` capability: what any server up offers (MCP 2025-11-25 tasks),
 * merged. Undefined when none offers tasks.
 */
export function mergedTasksCapability(servers: ReadyServer[]): Capability | undefined {
  let merged: Capability | undefined;
  for (const s of servers) {
    const tasks = s.upstream.info?.capabilities.tasks;
    if (isObject(tasks)) merged = union(merged ?? {}, tasks);
  }
  return merged;
}

/**
 * A tasks request on the aggregated endpoint: `tasks/list` gathers the session's tasks from every
 * server that lists them (sent whole, as the other aggregated lists); the others go to the server
 * the session created the task on, and a task it did not create is one no server knows.
 */
export async function aggregatedTaskRequest(
  session: Downstream,
  servers: ReadyServer[],
  id: JsonRpcId,
  method: string,
  params: unknown,
): Promise<JsonRpcMessage | undefined> {
  if (method === 'tasks/list') {
    const listing = servers.filter((s) => isObject(capabilityOf(s)?.list));
    const lists = await Promise.all(listing.map((s) => allTasks(s, session, id)));
    return { jsonrpc: '2.0', id, result: { tasks: lists.flat() } };
  }
  const taskId = taskIdOf(params) ?? '';
  const owner = servers.find((s) => s.router.hasTask(session, taskId));
  if (!owner) return errorReply(id, taskNotFound(taskId));
  return owner.router.request(session, id, method, params);
}

async function allTasks(server: ReadyServer, session: Downstream, id: JsonRpcId): Promise<unknown[]> {
  const tasks: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const reply = await server.router.request(session, id, 'tasks/list', cursor ? { cursor } : {});
    const result = reply?.result as { tasks?: unknown[]; nextCursor?: string } | undefined;
    tasks.push(...(result?.tasks ?? []));
    cursor = result?.nextCursor;
    if (!cursor) break;
  }
  return tasks;
}

function capabilityOf(server: ReadyServer): Capability | undefined {
  const tasks = server.upstream.info?.capabilities.tasks;
  return isObject(tasks) ? tasks : undefined;
}

function union(a: Capability, b: Capability): Capability {
  const out: Capability = { ...a };
  for (const [key, value] of Object.entries(b))
    out[key] = isObject(value) && isObject(out[key]) ? union(out[key], value) : (out[key] ?? value);
  return out;
}

function isObject(value: unknown): value is Capability {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
