import type { EngineEvent } from '../../shared/events.js';
import { asSentence, oneLine } from './notice-text.js';

export interface FailureNotice {
  title: string;
  body: string;
  server: string;
}

/**
 * The desktop notification for a crash loop: a server entering 'failed' means the engine gave up
 * restarting it, and nothing will happen until the user acts. Every other event gives none.
 */
export function failureNotice(event: EngineEvent): FailureNotice | undefined {
  if (event.type !== 'server.state' || event.to !== 'failed' || event.from === 'failed') return undefined;
  const sentence = asSentence(oneLine(event.reason));
  return {
    title: `${event.server} stopped restarting`,
    body: `${sentence === '' ? '' : `${sentence} `}Open its logs to see why; fix it and press Start.`,
    server: event.server,
  };
}
