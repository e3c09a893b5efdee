import type { Downstream } from './downstream.js';

/** MCP's logging levels (RFC 5424), most verbose first. */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** Whether a message of `level` is at or above `min` (an unknown level of a message passes). */
export function atOrAbove(level: unknown, min: string): boolean {
  const rank = LEVELS.indexOf(String(level));
  return rank === -1 || rank >= LEVELS.indexOf(min);
}

/** Whether this is one of MCP's logging levels. */
export function isLogLevel(level: unknown): level is string {
  return LEVELS.includes(String(level));
}

/**
 * Each session's `logging/setLevel` on one shared server: the server is asked for the most verbose
 * level any session wants, and each session gets only the messages at or above its own level, so
 * one client's setting never silences (or floods) another. A session that set none gets what the
 * server sends, as it would directly.
 */
export class LogLevels {
  private readonly bySession = new Map<Downstream, number>();

  /** Remembers the session's level; false when it is not a level (the server will say so). */
  set(session: Downstream, level: unknown): boolean {
    const rank = LEVELS.indexOf(String(level));
    if (rank === -1) return false;
    this.bySession.set(session, rank);
    return true;
  }

  forget(session: Downstream): void {
    this.bySession.delete(session);
  }

  /** What to ask the server for: the most verbose level any session set, if any did. */
  get upstreamLevel(): string | undefined {
    if (this.bySession.size === 0) return undefined;
    return LEVELS[Math.min(...this.bySession.values())];
  }

  /** Whether a `notifications/message` of `level` goes to the session. */
  wants(session: Downstream, level: unknown): boolean {
    const own = this.bySession.get(session);
    if (own === undefined) return true;
    const rank = LEVELS.indexOf(String(level));
    return rank === -1 || rank >= own;
  }
}
