import type { ToolCallItem } from '../../../../electron/shared/tool-call-events.js';

/** A question the server asked during a call from the window (sampling, elicitation). */
export type ServerAsk = Extract<ToolCallItem, { kind: 'request' }>;

/** A sampling request's messages as lines to read: text as it is, other content named by its type. */
export function samplingMessages(params: Record<string, unknown>): { role: string; text: string }[] {
  const messages = Array.isArray(params.messages) ? (params.messages as Record<string, unknown>[]) : [];
  return messages.map((m) => ({
    role: typeof m.role === 'string' ? m.role : 'unknown',
    text: (Array.isArray(m.content) ? m.content : [m.content]).map(contentText).join(' '),
  }));
}

function contentText(content: unknown): string {
  const c = (content ?? {}) as { type?: unknown; text?: unknown };
  if (c.type === 'text' && typeof c.text === 'string') return c.text;
  return `[${typeof c.type === 'string' ? c.type : 'content'}]`;
}
