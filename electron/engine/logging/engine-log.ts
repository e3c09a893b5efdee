import path from 'node:path';
import { describeCause, type EngineEvent, type RestartCause } from '../../shared/events.js';

/** The engine's own lines on stderr: prefixed so they stand apart from the server's stderr. */
export function createEngineLog(stderr: NodeJS.WritableStream): (line: string) => void {
  // Whoever read our stderr may be gone (a closed pipe): then the lines go nowhere, and the engine
  // goes on serving instead of dying of EPIPE, or looping on it.
  let gone = false;
  stderr.on('error', () => (gone = true));
  return (line) => {
    if (!gone) stderr.write(`[switchboard] ${line}\n`);
  };
}

/** Paths in restart causes read better relative to where the person started `run`. */
export function relativeCause(cause: RestartCause, cwd: string): RestartCause {
  if (cause.kind !== 'file') return cause;
  return { kind: 'file', paths: cause.paths.map((p) => path.relative(cwd, p) || p) };
}

/**
 * One line per thing a person wants to know: started, restarted (cause and time to ready),
 * crashed, gave up. Transitions that are only steps on the way stay quiet.
 */
export function formatEvent(event: EngineEvent, cwd: string): string | undefined {
  if (event.type === 'server.restart') {
    const cause = describeCause(relativeCause(event.cause, cwd));
    return event.outcome === 'ready'
      ? `restarted ${event.server} (${cause}) ready in ${event.durationMs} ms`
      : `restart of ${event.server} failed (${cause}) after ${event.durationMs} ms: ${event.error ?? 'unknown error'}`;
  }
  if (event.type !== 'server.state') return undefined;
  if (event.to === 'ready' && event.from === 'starting' && event.reason === 'started')
    return `started ${event.server}`;
  if (event.to === 'backoff' && event.from === 'ready') return `${event.server} crashed: ${event.reason}`;
  if (event.to === 'failed') return `${event.server} failed: ${event.reason}`;
  return undefined;
}
