import type { EngineEvent } from '../../shared/events.js';

export interface FailureNotice {
  title: string;
  body: string;
  server: string;
}

/** Notifications are read at a glance; the full reason is in the window and the logs. */
const MAX_REASON_CHARS = 160;

/**
 * The desktop notification for a crash loop: a server entering 'failed' means the engine gave up
 * restarting it, and nothing will happen until the user acts. Every other event gives none.
 */
export function failureNotice(event: EngineEvent): FailureNotice | undefined {
  if (event.type !== 'server.state' || event.to !== 'failed' || event.from === 'failed') return undefined;
  const reason = event.reason.replace(/\s+/g, ' ').trim();
  const shortened =
    reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1).trimEnd()}…` : reason;
  const sentence = shortened === '' ? '' : /[.!?…]$/.test(shortened) ? `${shortened} ` : `${shortened}. `;
  return {
    title: `${event.server} stopped restarting`,
    body: `${capitalize(sentence)}Open its logs to see why; fix it and press Start.`,
    server: event.server,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
