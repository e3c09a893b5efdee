import type { JsonRpcErrorObject } from '../../shared/errors.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Downstream } from './downstream.js';

/** Requests that name one task by `params.taskId`. */
const TASK_METHODS: ReadonlySet<string> = new Set(['tasks/get', 'tasks/result', 'tasks/cancel']);

/**
 * Tasks on a shared server belong to the session that created them (MCP 2025-11-25 tasks): another
 * session asking for one gets the answer a server gives for a task it does not know, `tasks/list`
 * shows each session its own, and a task's status notifications go to its owner only.
 */
export class TaskOwners {
  private readonly owners = new Map<string, Downstream>();

  /** The error for a request that names a task the session does not own (undefined: pass it on). */
  refusal(session: Downstream, method: string, params: unknown): JsonRpcErrorObject | undefined {
    if (!TASK_METHODS.has(method)) return undefined;
    const taskId = taskIdOf(params);
    if (taskId === undefined || this.owners.get(taskId) === session) return undefined;
    return taskNotFound(taskId);
  }

  /** Whether the session created the task (here, on this server). */
  owns(session: Downstream, taskId: string): boolean {
    return this.owners.get(taskId) === session;
  }

  /** The server's reply to the session: a task it created becomes the session's; a list, its own. */
  replied(session: Downstream, method: string, reply: JsonRpcMessage): void {
    const result = reply.result as { task?: { taskId?: unknown }; tasks?: unknown } | undefined;
    const created = result?.task?.taskId;
    if (typeof created === 'string' && !this.owners.has(created)) this.owners.set(created, session);
    if (method === 'tasks/list' && Array.isArray(result?.tasks))
      reply.result = {
        ...result,
        tasks: result.tasks.filter((t) => this.owners.get(taskIdOf(t) ?? '') === session),
      };
  }

  /** Who a task notification is for; undefined when the task is nobody's known task. */
  ownerOf(params: unknown): Downstream | undefined {
    const taskId = taskIdOf(params);
    return taskId === undefined ? undefined : this.owners.get(taskId);
  }

  /** The session is gone: its tasks are nobody's (their ids stay unknown to everyone else). */
  forget(session: Downstream): void {
    for (const [taskId, owner] of this.owners) if (owner === session) this.owners.delete(taskId);
  }
}

/** The SDK servers' own words for an unknown task (-32602 Invalid params). */
export function taskNotFound(taskId: string): JsonRpcErrorObject {
  return { code: -32602, message: `Task not found: ${taskId}` };
}

export function taskIdOf(value: unknown): string | undefined {
  const taskId = (value as { taskId?: unknown } | undefined)?.taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}
