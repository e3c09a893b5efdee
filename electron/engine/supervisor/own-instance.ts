import { EventEmitter } from 'node:events';
import { untilReady } from '../actor/until-ready.js';
import type { Clock } from '../flow/clock.js';
import type { ClientIdentity } from '../upstream/upstream.js';
import type { BuiltServer } from './server-factory.js';

/**
 * How long a changed entry's new instance may take to come up before it takes over anyway (and
 * the session sees why it did not).
 */
const TAKEOVER_WAIT_MS = 60_000;

/**
 * One client session's own server instance (`sessions` in the config), kept across changes to
 * the server's config entry: the same client's instance is built again from the new entry and
 * takes over once it is up, so the session lives on; the session's router follows `replaced`.
 */
export class OwnInstance extends EventEmitter<{ replaced: [] }> {
  private ended = false;

  constructor(
    private built: BuiltServer,
    readonly client: ClientIdentity,
    private readonly onEnd: (instance: OwnInstance) => void,
  ) {
    super();
  }

  get actor(): BuiltServer['actor'] {
    return this.built.actor;
  }

  get upstream(): BuiltServer['upstream'] {
    return this.built.upstream;
  }

  /**
   * The config entry changed: `next` (built from it for the same client) starts, takes over when
   * it is up or has given up, and then the old instance stops after the work it has in hand.
   */
  async replace(next: BuiltServer, clock: Clock): Promise<void> {
    if (this.ended) return;
    void next.actor.start();
    await untilReady(next.actor, clock, TAKEOVER_WAIT_MS);
    if (this.ended) {
      await next.actor.stop('the client session ended');
      return;
    }
    const old = this.built;
    this.built = next;
    this.emit('replaced');
    await old.actor.stop('config changed');
  }

  /** The session ended (or the server went from the config): the instance and its process go. */
  async stop(reason = 'the client session ended'): Promise<void> {
    this.ended = true;
    this.onEnd(this);
    await this.built.actor.stop(reason);
  }
}
