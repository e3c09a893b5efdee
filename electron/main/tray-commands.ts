import type { EngineSnapshot } from '../shared/state-view.js';
import type { TrayCommand } from './tray/tray-menu.js';

/** What a tray command may do: call the engine through the API table, show the window, quit. */
export interface TrayCommandDeps {
  invoke(operation: string, input: unknown): Promise<unknown>;
  snapshot(): EngineSnapshot;
  /** Shows (and focuses) the window at a hash route such as `#/servers/echo/logs`. */
  showWindow(route?: string): void;
  quit(): void;
  /** A command that failed, or one whose outcome the person should hear (a notification). */
  report(message: string): void;
  /** Puts `switchboard` on the PATH; resolves with what to tell the person. */
  installCli(): Promise<string>;
}

/** The window route of a server's log tail. */
export function logsRoute(server: string): string {
  return `#/servers/${encodeURIComponent(server)}/logs`;
}

/** The window route where held tools are approved. */
export const QUARANTINE_ROUTE = '#/quarantine';

/**
 * Runs a tray menu command. Server actions go through the same API table as the window and the
 * control API, so the tray can do nothing they cannot, and the engine's answer (e.g. "no server
 * named …") reaches the person.
 */
export async function runTrayCommand(command: TrayCommand, deps: TrayCommandDeps): Promise<void> {
  const call = (operation: string, input: unknown) =>
    deps.invoke(operation, input).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      deps.report(`${operation} failed: ${message}`);
    });
  switch (command.kind) {
    case 'start':
      return void (await call('startServer', { server: command.server }));
    case 'stop':
      return void (await call('stopServer', { server: command.server }));
    case 'restart':
      return void (await call('restartServer', { server: command.server }));
    case 'signIn':
      // The engine opens the system browser at the sign-in page; the server starts once it is done.
      return void (await call('signIn', { server: command.server }));
    case 'openLogs':
      return deps.showWindow(logsRoute(command.server));
    case 'openWindow':
      return deps.showWindow();
    case 'openApprovals':
      return deps.showWindow(QUARANTINE_ROUTE);
    case 'restartAll': {
      // Every server that runs (or is trying to); stopped ones stay stopped.
      const running = deps.snapshot().servers.filter((s) => s.enabled && s.state !== 'stopped');
      await Promise.all(running.map((s) => call('restartServer', { server: s.name })));
      return;
    }
    case 'setLaunchAtLogin':
      return void (await call('updateSettings', { launchAtLogin: command.enabled }));
    case 'installCli':
      return deps
        .installCli()
        .then(deps.report, (err: unknown) =>
          deps.report(
            `Installing the command-line tool failed: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
    case 'quit':
      return deps.quit();
  }
}
