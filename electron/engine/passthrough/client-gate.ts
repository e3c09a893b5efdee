import type { EngineErrorName } from '../../shared/errors.js';
import type { StateChangedEvent } from '../../shared/events.js';
import { errorForFailure } from '../actor/failure-error.js';

/** Whether a client's messages go to the server now, wait for it, or are answered with an error. */
export type Gate =
  { mode: 'open' } | { mode: 'hold' } | { mode: 'reject'; error: EngineErrorName; detail: string };

export interface GateChange {
  gate: Gate;
  /** What waits in the buffer gets this error now (a start failed, or the server is down for good). */
  answerBuffered?: { error: EngineErrorName; detail: string };
}

/** The gate after the server's actor moved to a state other than ready (ready opens the gate). */
export function gateAfter(event: StateChangedEvent): GateChange | undefined {
  switch (event.to) {
    case 'starting':
    case 'restarting':
      return { gate: { mode: 'hold' } };
    case 'backoff':
      // A start attempt failed: what waited for it gets an answer now. After a crash of a ready
      // server the buffer only holds what arrived since, and it waits for the retry.
      return event.from === 'ready'
        ? { gate: { mode: 'hold' } }
        : {
            gate: { mode: 'hold' },
            answerBuffered: { error: errorForFailure(event.reason), detail: event.reason },
          };
    case 'failed': {
      const error = errorForFailure(event.reason);
      return {
        gate: { mode: 'reject', error, detail: event.reason },
        answerBuffered: { error, detail: event.reason },
      };
    }
    case 'stopped':
      return {
        gate: { mode: 'reject', error: 'SHUTTING_DOWN', detail: event.reason },
        answerBuffered: { error: 'SHUTTING_DOWN', detail: event.reason },
      };
    default:
      return undefined;
  }
}
