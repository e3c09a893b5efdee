import type { EngineAlreadyRunningError } from '../engine/index.js';

export interface ConflictChoice {
  readonly message: string;
  readonly detail: string;
  readonly buttons: readonly [open: string, quit: string];
}

/**
 * When `switchboard serve` (or another copy of the app) already serves this home, the app does not
 * start a second engine over the same servers: it says who runs them and offers that engine's window
 * in the browser (`switchboard open`), or quitting. Two engines would fight over the same processes.
 */
export function conflictChoice(err: EngineAlreadyRunningError): ConflictChoice {
  return {
    message: 'Another Switchboard engine is already running',
    detail:
      `The engine with pid ${err.running.pid} serves ${err.home} at ${err.running.url}, so this app ` +
      'will not start a second one over the same servers.\n\n' +
      `To use the tray app instead, stop that engine (Ctrl-C where \`switchboard serve\` runs, or kill ${err.running.pid}) ` +
      'and open Switchboard again. To use a separate set of servers, start the app with SWITCHBOARD_HOME set to another folder.',
    buttons: ['Open its window in the browser', 'Quit'],
  };
}
