import { EventEmitter } from 'node:events';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  EngineEvent,
  RestartCause,
  RestartEvent,
  ServerAddedEvent,
  ServerRemovedEvent,
  ServerState,
  StateChangedEvent,
} from '../../shared/events.js';
import { StateView } from '../../shared/state-view.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { EngineMetrics, type EngineEventSource, type EngineMetricsOptions } from './engine-metrics.js';

/** Publishes like the supervisor: into a state view, then to listeners. */
class FakeEngine extends EventEmitter<{ event: [EngineEvent] }> {
  private readonly view = new StateView();
  publish(...events: EngineEvent[]): void {
    for (const event of events) {
      this.view.apply(event);
      this.emit('event', event);
    }
  }
  snapshot() {
    return this.view.snapshot();
  }
}

const added = (server: string): ServerAddedEvent => ({
  type: 'server.added',
  server,
  transport: 'stdio',
  enabled: true,
  at: 1,
});
const removed = (server: string): ServerRemovedEvent => ({ type: 'server.removed', server, at: 2 });
const changed = (server: string, from: ServerState, to: ServerState): StateChangedEvent => ({
  type: 'server.state',
  server,
  from,
  to,
  reason: 'test',
  at: 3,
});
const restarted = (server: string, cause: RestartCause): RestartEvent => ({
  type: 'server.restart',
  server,
  cause,
  startedAt: 4,
  durationMs: 50,
  outcome: 'ready',
});

/** The value of one exact series (name plus its labels as rendered), or undefined if absent. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function setUp(options: EngineMetricsOptions = {}) {
  const metrics = new EngineMetrics({ defaultMetrics: false, ...options });
  const engine = new FakeEngine();
  metrics.attach(engine);
  const body = async () => (await metrics.render()).body;
  return { metrics, engine, body };
}

describe('EngineMetrics', () => {
  it('counts requests and their durations per server, method and status', async () => {
    const { metrics, body } = setUp();
    metrics.observeRequest('alpha', 'tools/call', 'ok', 0.002);
    metrics.observeRequest('alpha', 'tools/call', 'ok', 0.02);
    metrics.observeRequest('alpha', 'tools/call', 'ok', 2);
    metrics.observeRequest('alpha', 'tools/call', 'error', 0.0001);
    metrics.observeRequest('beta', 'resources/read', 'ok', 45);

    const text = await body();
    const ok = 'server="alpha",method="tools/call",status="ok"';
    expect(sample(text, `switchboard_requests_total{${ok}}`)).toBe(3);
    expect(
      sample(text, 'switchboard_requests_total{server="alpha",method="tools/call",status="error"}'),
    ).toBe(1);
    expect(
      sample(text, 'switchboard_requests_total{server="beta",method="resources/read",status="ok"}'),
    ).toBe(1);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="0.0005",${ok}}`)).toBe(0);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="0.0025",${ok}}`)).toBe(1);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="0.025",${ok}}`)).toBe(2);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="1",${ok}}`)).toBe(2);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="2.5",${ok}}`)).toBe(3);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="+Inf",${ok}}`)).toBe(3);
    expect(sample(text, `switchboard_request_duration_seconds_sum{${ok}}`)).toBeCloseTo(2.022, 9);
    expect(sample(text, `switchboard_request_duration_seconds_count{${ok}}`)).toBe(3);
    const slow = 'server="beta",method="resources/read",status="ok"';
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="30",${slow}}`)).toBe(0);
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="+Inf",${slow}}`)).toBe(1);
  });

  it('keeps counting across scrapes', async () => {
    const { metrics, body } = setUp();
    const series = 'switchboard_requests_total{server="alpha",method="ping",status="ok"}';
    metrics.observeRequest('alpha', 'ping', 'ok', 0.001);
    expect(sample(await body(), series)).toBe(1);
    metrics.observeRequest('alpha', 'ping', 'ok', 0.001);
    metrics.observeRequest('alpha', 'ping', 'ok', 0.001);
    expect(sample(await body(), series)).toBe(3);
  });

  it('counts methods MCP does not define as other', async () => {
    const { metrics, body } = setUp();
    for (const method of ['made/up', '__proto__', 'x'.repeat(500), 'Tools/Call'])
      metrics.observeRequest('alpha', method, 'error', 0.001);
    metrics.observeRequest('alpha', 'tools/list', 'ok', 0.001);

    const text = await body();
    expect(sample(text, 'switchboard_requests_total{server="alpha",method="other",status="error"}')).toBe(4);
    expect(sample(text, 'switchboard_requests_total{server="alpha",method="tools/list",status="ok"}')).toBe(
      1,
    );
    const methods = text.match(/^switchboard_requests_total\{.*$/gm) ?? [];
    expect(methods).toHaveLength(2);
    expect(text).not.toContain('made/up');
  });

  it('never throws on a bad duration; it is recorded as zero', async () => {
    const { metrics, body } = setUp();
    for (const seconds of [Number.NaN, -1, Number.POSITIVE_INFINITY])
      metrics.observeRequest('alpha', 'ping', 'ok', seconds);
    const text = await body();
    const labels = 'server="alpha",method="ping",status="ok"';
    expect(sample(text, `switchboard_request_duration_seconds_bucket{le="0.0005",${labels}}`)).toBe(3);
    expect(sample(text, `switchboard_request_duration_seconds_sum{${labels}}`)).toBe(0);
  });

  it('counts restarts by cause', async () => {
    const { engine, body } = setUp();
    engine.publish(
      added('alpha'),
      restarted('alpha', { kind: 'exit', code: 1, signal: null }),
      restarted('alpha', { kind: 'exit', code: null, signal: 'SIGKILL' }),
      restarted('alpha', { kind: 'file', paths: ['src/index.ts'] }),
      restarted('alpha', { kind: 'health', detail: 'ping timed out' }),
    );
    const text = await body();
    expect(sample(text, 'switchboard_restarts_total{server="alpha",cause="exit"}')).toBe(2);
    expect(sample(text, 'switchboard_restarts_total{server="alpha",cause="file"}')).toBe(1);
    expect(sample(text, 'switchboard_restarts_total{server="alpha",cause="health"}')).toBe(1);
    expect(sample(text, 'switchboard_restarts_total{server="alpha",cause="user"}')).toBeUndefined();
  });

  it('sets 1 for the current state and 0 for every other', async () => {
    const { engine, body } = setUp();
    const state = (text: string, s: ServerState) =>
      sample(text, `switchboard_server_state{server="alpha",state="${s}"}`);

    engine.publish(added('alpha'));
    let text = await body();
    expect(state(text, 'stopped')).toBe(1);
    expect(state(text, 'ready')).toBe(0);

    engine.publish(changed('alpha', 'stopped', 'starting'), changed('alpha', 'starting', 'ready'));
    text = await body();
    expect(state(text, 'ready')).toBe(1);
    expect(state(text, 'starting')).toBe(0);
    expect(state(text, 'stopped')).toBe(0);
    expect(state(text, 'restarting')).toBe(0);
    expect(state(text, 'backoff')).toBe(0);
    expect(state(text, 'failed')).toBe(0);
  });

  it('drops the state series of a removed server and keeps the others', async () => {
    const { engine, body } = setUp();
    engine.publish(added('alpha'), added('beta'), changed('beta', 'stopped', 'failed'), removed('beta'));
    const text = await body();
    expect(text).not.toMatch(/^switchboard_server_state\{server="beta"/m);
    expect(sample(text, 'switchboard_server_state{server="alpha",state="stopped"}')).toBe(1);
  });

  it('starts from the snapshot of a source that has one', async () => {
    const engine = new FakeEngine();
    engine.publish(added('early'), changed('early', 'stopped', 'backoff'));
    const metrics = new EngineMetrics({ defaultMetrics: false });
    metrics.attach(engine);
    const text = (await metrics.render()).body;
    expect(sample(text, 'switchboard_server_state{server="early",state="backoff"}')).toBe(1);
    expect(sample(text, 'switchboard_server_state{server="early",state="stopped"}')).toBe(0);
  });

  it('takes the supervisor as a source', () => {
    expectTypeOf<Supervisor>().toExtend<EngineEventSource>();
  });

  it('stops following events after detach', async () => {
    const { metrics, engine, body } = setUp();
    engine.publish(added('alpha'));
    metrics.detach();
    engine.publish(changed('alpha', 'stopped', 'ready'), restarted('alpha', { kind: 'user' }));
    const text = await body();
    expect(sample(text, 'switchboard_server_state{server="alpha",state="stopped"}')).toBe(1);
    expect(sample(text, 'switchboard_server_state{server="alpha",state="ready"}')).toBe(0);
    expect(text).not.toMatch(/^switchboard_restarts_total\{/m);
    expect(engine.listenerCount('event')).toBe(0);
  });

  it('reads buffer depth and sessions from the callbacks at every scrape', async () => {
    let depth: Record<string, number> = { alpha: 3, beta: 0 };
    const { body } = setUp({
      bufferDepth: () => depth,
      sessions: () => ({ http: 2, socket: 1, aggregate: 0 }),
    });
    let text = await body();
    expect(sample(text, 'switchboard_buffer_depth{server="alpha"}')).toBe(3);
    expect(sample(text, 'switchboard_buffer_depth{server="beta"}')).toBe(0);
    expect(sample(text, 'switchboard_sessions{surface="http"}')).toBe(2);
    expect(sample(text, 'switchboard_sessions{surface="socket"}')).toBe(1);
    expect(sample(text, 'switchboard_sessions{surface="aggregate"}')).toBe(0);

    depth = { alpha: 7 };
    text = await body();
    expect(sample(text, 'switchboard_buffer_depth{server="alpha"}')).toBe(7);
    expect(sample(text, 'switchboard_buffer_depth{server="beta"}')).toBeUndefined();
  });

  it('keeps each instance in its own registry', async () => {
    const one = new EngineMetrics({ defaultMetrics: false });
    const two = new EngineMetrics({ defaultMetrics: false });
    one.observeRequest('alpha', 'ping', 'ok', 0.001);
    const series = 'switchboard_requests_total{server="alpha",method="ping",status="ok"}';
    expect(sample((await one.render()).body, series)).toBe(1);
    expect(sample((await two.render()).body, series)).toBeUndefined();
    expect(globalRegistry.getSingleMetric('switchboard_requests_total')).toBeUndefined();
  });

  it('includes Node process metrics by default, in the text format', async () => {
    const metrics = new EngineMetrics();
    const { contentType, body } = await metrics.render();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds \S+$/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
    expect(sample(body, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(globalRegistry.getSingleMetric('nodejs_eventloop_lag_seconds')).toBeUndefined();
  });
});
