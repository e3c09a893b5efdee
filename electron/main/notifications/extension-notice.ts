import type { EngineEvent } from '../../shared/events.js';
import { asSentence, oneLine } from './notice-text.js';

export interface ExtensionNotification {
  title: string;
  body: string;
  /** Where a click on it opens the window. */
  route: string;
}

/** The window route of the Extensions page, where the person sees and changes what the notice is about. */
export const EXTENSIONS_ROUTE = '#/extensions';

/** The desktop notification for what an extension tells the person; every other event gives none. */
export function extensionNotification(event: EngineEvent): ExtensionNotification | undefined {
  if (event.type !== 'extension.notice') return undefined;
  const extension = oneLine(event.extension, 60);
  const message = asSentence(oneLine(event.message));
  return {
    title: `Switchboard extension “${extension}”`,
    body: message === '' ? 'It has something to say; open the Extensions page to see it.' : message,
    route: EXTENSIONS_ROUTE,
  };
}

/**
 * Lets through at most one notification per extension per `windowMs`: an extension that repeats
 * itself (a circuit that opens and closes) must not bury the desktop. What is held back is still in
 * the window's notice area.
 */
export function createNoticeThrottle(windowMs: number, maxKeys = 200) {
  const lastShown = new Map<string, number>();
  return {
    allow(key: string, now: number): boolean {
      const last = lastShown.get(key);
      if (last !== undefined && now - last < windowMs) return false;
      lastShown.delete(key); // re-inserted last, so the map stays in order of last shown
      lastShown.set(key, now);
      // Bounded: the oldest keys go first.
      for (const oldest of lastShown.keys()) {
        if (lastShown.size <= maxKeys) break;
        lastShown.delete(oldest);
      }
      return true;
    },
  };
}
