import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVER_STATES, type EngineEvent, type ServerState } from '../../shared/events.js';
import type { EngineSnapshot } from '../../shared/state-view.js';
import { RequestMetrics } from './request-metrics.js';

export interface EngineMetricsOptions {
  /** Requests held per server (e.g. while it restarts); read at every scrape. */
  bufferDepth?: () => Readonly<Record<string, number>>;
  /** Open client sessions per surface (http, socket, aggregate); read at every scrape. */
  sessions?: () => Readonly<Record<string, number>>;
  /** Time in each extension's hooks (recent calls) and its failures; read at every scrape. */
  extensionHooks?: () => readonly ExtensionHookFigures[];
  /** prom-client's Node metrics: event-loop lag, memory, CPU, GC, handles (default true). */
  defaultMetrics?: boolean;
}

export interface ExtensionHookFigures {
  extension: string;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  calls: number;
  failures: number;
}

/** The supervisor, or anything else that publishes engine events. */
export interface EngineEventSource {
  on(event: 'event', fn: (e: EngineEvent) => void): unknown;
  off(event: 'event', fn: (e: EngineEvent) => void): unknown;
  /** If present, `attach` starts from it, so servers added before attaching have a state. */
  snapshot?(): EngineSnapshot;
}

/**
 * The engine's Prometheus metrics for `GET /metrics`. Each instance has its own registry (never
 * prom-client's global one), so two engines in one process, or in one test run, do not collide.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly requests = new RequestMetrics(this.registry);
  private readonly restarts: Counter<'server' | 'cause'>;
  private readonly serverState: Gauge<'server' | 'state'>;
  private source: EngineEventSource | undefined;
  private readonly listener = (event: EngineEvent): void => this.apply(event);

  constructor(options: EngineMetricsOptions = {}) {
    const registers = [this.registry];
    this.restarts = new Counter({
      name: 'switchboard_restarts_total',
      help: 'Server restarts, by cause (file, exit, user, config, health, connection).',
      labelNames: ['server', 'cause'],
      registers,
    });
    this.serverState = new Gauge({
      name: 'switchboard_server_state',
      help: '1 for the state each server is in, 0 for the others.',
      labelNames: ['server', 'state'],
      registers,
    });
    const { bufferDepth, sessions, extensionHooks } = options;
    new Gauge({
      name: 'switchboard_extension_hook_seconds',
      help: "Time in an extension's hooks per call, over its last 1024 calls (quantile 0.5 and 0.99).",
      labelNames: ['extension', 'quantile'],
      registers,
      collect() {
        this.reset();
        for (const f of extensionHooks?.() ?? []) {
          if (f.p50Ms !== undefined) this.set({ extension: f.extension, quantile: '0.5' }, f.p50Ms / 1000);
          if (f.p99Ms !== undefined) this.set({ extension: f.extension, quantile: '0.99' }, f.p99Ms / 1000);
        }
      },
    });
    new Gauge({
      name: 'switchboard_extension_hook_calls',
      help: "Calls of an extension's hooks since the engine started, and how many failed (threw or timed out).",
      labelNames: ['extension', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const f of extensionHooks?.() ?? []) {
          this.set({ extension: f.extension, outcome: 'ok' }, f.calls - f.failures);
          this.set({ extension: f.extension, outcome: 'failed' }, f.failures);
        }
      },
    });
    new Gauge({
      name: 'switchboard_buffer_depth',
      help: 'Requests held for a server until it can take them.',
      labelNames: ['server'],
      registers,
      collect() {
        // Reset first, so a server that is gone drops out instead of keeping its last value.
        this.reset();
        for (const [server, depth] of Object.entries(bufferDepth?.() ?? {})) this.set({ server }, depth);
      },
    });
    new Gauge({
      name: 'switchboard_sessions',
      help: 'Open client sessions, by surface.',
      labelNames: ['surface'],
      registers,
      collect() {
        this.reset();
        for (const [surface, count] of Object.entries(sessions?.() ?? {})) this.set({ surface }, count);
      },
    });
    // Event-loop lag is sampled by a timer; prom-client's 10 ms default wakes an idle engine 100 times a
    // second (~0.6 % of a core here). Every 100 ms costs next to nothing and still catches every
    // stall of 100 ms or more, the ones that show up in request latency.
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  /** Called once per proxied request; `method` values outside MCP are counted as `other`. */
  observeRequest(server: string, method: string, status: 'ok' | 'error' | string, seconds: number): void {
    this.requests.observe(server, method, status, seconds);
  }

  /** Follows one source's events (replacing any earlier one). */
  attach(source: EngineEventSource): void {
    this.detach();
    for (const server of source.snapshot?.().servers ?? []) this.setState(server.name, server.state);
    source.on('event', this.listener);
    this.source = source;
  }

  detach(): void {
    this.source?.off('event', this.listener);
    this.source = undefined;
  }

  /** The exposition for the HTTP route. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private apply(event: EngineEvent): void {
    switch (event.type) {
      case 'server.added':
        // The state view starts every added server as stopped; a server.state follows if not.
        return this.setState(event.server, 'stopped');
      case 'server.state':
        return this.setState(event.server, event.to);
      case 'server.removed':
        for (const state of SERVER_STATES) this.serverState.remove(event.server, state);
        return;
      case 'server.restart':
        this.restarts.labels(event.server, event.cause.kind).inc();
        return;
    }
  }

  /** All states are written, not only the new one, so a query on `== 0` sees every server too. */
  private setState(server: string, current: ServerState): void {
    for (const state of SERVER_STATES) this.serverState.labels(server, state).set(state === current ? 1 : 0);
  }
}
