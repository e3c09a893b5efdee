import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { DEFAULT_RESTART_POLICY } from './backoff.js';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { FatalConnectError } from '../upstream/remote-http.js';
import { RemoteLink } from '../upstream/remote-link.js';
import type { RemoteConnection } from '../upstream/remote-connection.js';
import type { SentRequest, UpstreamEvents } from '../upstream/upstream.js';
import { ServerActor } from './server-actor.js';

/** A connection whose connects the test settles by hand. */
class FakeConnection extends EventEmitter<UpstreamEvents> implements RemoteConnection {
  info = undefined;
  lists = {};
  inFlight = 0;
  bufferDepth = 0;
  readonly attempts: { resolve: () => void; reject: (err: Error) => void; signal: AbortSignal }[] = [];
  readonly closes: string[] = [];
  readonly states: ServerState[] = [];
  drains = 0;

  connect(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      this.attempts.push({ resolve, reject, signal });
      signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  }
  async drain(): Promise<void> {
    this.drains++;
  }
  async close(reason: string): Promise<void> {
    this.closes.push(reason);
  }
  stateChanged(_from: ServerState, to: ServerState): void {
    this.states.push(to);
  }
  send(): SentRequest {
    throw new Error('not used');
  }
  request(): Promise<JsonRpcMessage> {
    throw new Error('not used');
  }
  notify(): void {}
  reply(): void {}
  get last() {
    return this.attempts.at(-1)!;
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setup(policy: Partial<typeof DEFAULT_RESTART_POLICY> = {}) {
  const clock = new FakeClock();
  const connection = new FakeConnection();
  const server = new ServerActor({
    name: 'remote',
    link: new RemoteLink(connection, 'mcp.example.com', clock),
    startupTimeoutMs: 5000,
    policy: { ...DEFAULT_RESTART_POLICY, jitter: 0, ...policy },
    clock,
    random: () => 0.5,
  });
  const events: EngineEvent[] = [];
  server.on('event', (e) => events.push(e));
  const states = () => events.flatMap((e) => (e.type === 'server.state' ? [`${e.to}: ${e.reason}`] : []));
  return { clock, connection, server, events, states };
}

describe('ServerActor over a remote link', () => {
  it('goes starting → ready once connected, telling the connection first', async () => {
    const { connection, server, states } = setup();
    const started = server.start();
    await flush();
    expect(server.state).toBe('starting');
    connection.last.resolve();
    await started;
    expect(server.state).toBe('ready');
    expect(states()).toEqual(['starting: start requested', 'ready: connected']);
    expect(connection.states).toEqual(['starting', 'ready']);
    expect(server.pid).toBeUndefined();
  });

  it('retries a failing connect with exponential backoff, then gives up saying what to do', async () => {
    const { clock, connection, server, states } = setup();
    void server.start();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await flush();
      connection.last.reject(new Error('cannot reach mcp.example.com (ECONNREFUSED)'));
      await flush();
      if (attempt < 5) {
        const delay = Number(/retry in (\d+) ms/.exec(states().at(-1)!)?.[1]);
        delays.push(delay);
        clock.advance(delay);
      }
    }
    expect(delays).toEqual([100, 200, 400, 800]);
    expect(server.state).toBe('failed');
    expect(states().at(-1)).toMatch(
      /^failed: crash loop: 5 failures in 60 s \(last: cannot connect: cannot reach mcp\.example\.com \(ECONNREFUSED\)\); check that the server is up and the URL and headers are right, then restart it$/,
    );
    expect(connection.states.at(-1)).toBe('failed');
    clock.advance(60_000);
    await flush();
    expect(connection.attempts).toHaveLength(5);
  });

  it('does not retry what retrying cannot fix', async () => {
    const { connection, server, states } = setup();
    void server.start();
    await flush();
    connection.last.reject(new FatalConnectError('HTTP 401: the server wants authorization'));
    await flush();
    expect(server.state).toBe('failed');
    expect(states().at(-1)).toMatch(/HTTP 401.*fix it, then restart the server$/);
  });

  it('on a lost connection goes to backoff, reconnects after the delay and reports the restart', async () => {
    const { clock, connection, server, events, states } = setup();
    void server.start();
    await flush();
    connection.last.resolve();
    await flush();
    connection.emit('unhealthy', 'the event stream broke (ECONNRESET)');
    await flush();
    expect(server.state).toBe('backoff');
    expect(states().at(-1)).toBe(
      'backoff: connection to mcp.example.com lost: the event stream broke (ECONNRESET); reconnecting in 100 ms',
    );
    expect(connection.closes).toEqual(['connection lost']);
    clock.advance(99);
    await flush();
    expect(connection.attempts).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(server.state).toBe('starting');
    connection.last.resolve();
    await flush();
    expect(server.state).toBe('ready');
    expect(events.at(-1)).toMatchObject({
      type: 'server.restart',
      outcome: 'ready',
      cause: { kind: 'connection' },
    });
    expect(server.restartCount).toBe(1);
  });

  it('counts a connect that does not finish within the startup timeout as a failure', async () => {
    const { clock, connection, server, states } = setup();
    void server.start();
    await flush();
    clock.advance(5000);
    await flush();
    expect(connection.attempts[0]!.signal.aborted).toBe(true);
    expect(server.state).toBe('backoff');
    expect(states().at(-1)).toMatch(/not connected within the startup timeout of 5000 ms; retry in 100 ms/);
  });

  it('stops from backoff and from a connect in progress, and then stays stopped', async () => {
    const { clock, connection, server } = setup();
    void server.start();
    await flush();
    connection.last.reject(new Error('refused'));
    await flush();
    expect(server.state).toBe('backoff');
    await server.stop('stop requested');
    expect(server.state).toBe('stopped');
    clock.advance(10_000);
    await flush();
    expect(connection.attempts).toHaveLength(1);

    void server.start();
    await flush();
    await server.stop('stop requested');
    expect(connection.attempts[1]!.signal.aborted).toBe(true);
    expect(server.state).toBe('stopped');
    expect(connection.states.at(-1)).toBe('stopped');
  });

  it('restarts on request: drains, closes and connects again', async () => {
    const { connection, server, states } = setup();
    void server.start();
    await flush();
    connection.last.resolve();
    await flush();
    const restarted = server.restart({ kind: 'user' });
    await flush();
    expect(server.state).toBe('restarting');
    expect(connection.drains).toBe(1);
    expect(connection.closes).toEqual(['restart requested']);
    connection.last.resolve();
    await restarted;
    expect(server.state).toBe('ready');
    expect(states().at(-1)).toMatch(/^ready: restart requested; connected in \d+ ms$/);
  });
});
