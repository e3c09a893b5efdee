import { EventEmitter } from 'node:events';
import type { Clock } from '../flow/clock.js';
import type { Link, LinkEvents, LinkWording } from '../actor/link.js';
import type { ServerState } from '../../shared/events.js';
import type { RemoteConnection } from './remote-connection.js';

const REMOTE_WORDING: LinkWording = {
  up: 'connected',
  upIn: 'connected in',
  notUp: 'not connected',
  againIn: 'reconnecting in',
  againAfter: 'reconnecting after',
  giveUpHint: 'check that the server is up and the URL and headers are right, then restart it',
  fatalHint: 'fix it, then restart the server',
};

/** A remote server (Streamable HTTP or legacy SSE) as the lifecycle drives it: connect, not spawn. */
export class RemoteLink extends EventEmitter<LinkEvents> implements Link {
  readonly wording = REMOTE_WORDING;
  /** A remote server has no local process. */
  readonly pid = undefined;

  constructor(
    private readonly connection: RemoteConnection,
    /** Where the server is, for reasons a person reads ("connection to mcp.example.com lost"). */
    private readonly describe: string,
    private readonly clock: Clock,
  ) {
    super();
    connection.on('unhealthy', (reason) => {
      const message = `connection to ${this.describe} lost: ${reason}`;
      this.emit('lost', { message, cause: { kind: 'connection', detail: message }, at: this.clock.now() });
    });
    connection.on('authRequired', (err) => this.emit('signInLost', err));
  }

  open(signal: AbortSignal): Promise<void> {
    return this.connection.connect(signal);
  }

  drain(): Promise<void> {
    return this.connection.drain();
  }

  close(reason: string): Promise<void> {
    return this.connection.close(reason);
  }

  stateChanged(from: ServerState, to: ServerState, reason: string): void {
    this.connection.stateChanged(from, to, reason);
  }

  explainStartFailure(message: string): string {
    return `cannot connect: ${message}`;
  }
}
