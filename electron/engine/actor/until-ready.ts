import type { Clock } from '../flow/clock.js';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import type { ServerActor } from './server-actor.js';

/** States from which a starting server will not come up until someone acts. */
const GIVEN_UP: ReadonlySet<ServerState> = new Set(['failed', 'needs-secret', 'needs-auth', 'stopped']);

/**
 * Waits (bounded) for a starting actor to be ready. Resolves with undefined once it is, else with
 * why it will not be, or that it did not come up in time.
 */
export function untilReady(actor: ServerActor, clock: Clock, waitMs: number): Promise<string | undefined> {
  if (actor.state === 'ready') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (outcome: string | undefined) => {
      clock.clearTimeout(timer);
      actor.off('event', onEvent);
      resolve(outcome);
    };
    const timer = clock.setTimeout(() => done(`did not come up within ${waitMs} ms`), waitMs);
    const onEvent = (event: EngineEvent) => {
      if (event.type !== 'server.state') return;
      if (event.to === 'ready') done(undefined);
      else if (GIVEN_UP.has(event.to)) done(`is ${event.to}: ${event.reason}`);
    };
    actor.on('event', onEvent);
  });
}
