import { EventEmitter } from 'node:events';
import { StateView, type EngineSnapshot } from '../../shared/state-view.js';
import type { EngineEvent } from '../../shared/events.js';

/** Events of figures only: no text from outside, so they skip the mask (they are frequent). */
const FIGURES_ONLY: ReadonlySet<EngineEvent['type']> = new Set([
  'server.usage',
  'server.calls',
  'server.lists',
  'server.sessions',
]);

/**
 * The engine's events: every one is masked for known secrets, folded into the snapshot, then sent
 * to every listener (gateway, API event stream, window, tray, logs), in that order.
 */
export class EngineEventBus extends EventEmitter<{ event: [EngineEvent] }> {
  private readonly view = new StateView();

  constructor(private readonly maskEvent?: (event: EngineEvent) => EngineEvent) {
    super();
    // One listener per reader of /events (the window, tray, scripts): many readers are no leak.
    this.setMaxListeners(0);
  }

  snapshot(): EngineSnapshot {
    return this.view.snapshot();
  }

  /** Masks, folds and announces an event (also for events of others, e.g. extensions). */
  publish(event: EngineEvent): void {
    this.announce(this.masked(event));
  }

  /** An event masked at its source already (a server's lifecycle masks before its link hears it). */
  protected announce(event: EngineEvent): void {
    this.view.apply(event);
    this.emit('event', event);
  }

  private masked(event: EngineEvent): EngineEvent {
    if (!this.maskEvent || FIGURES_ONLY.has(event.type)) return event;
    return this.maskEvent(event);
  }
}
