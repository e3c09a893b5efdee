import type { MenuItemConstructorOptions } from 'electron';
import type { ServerState } from '../../shared/events.js';
import type { EngineSnapshot, ServerSnapshot } from '../../shared/state-view.js';
import { approvalsLine, traySummary } from './tray-state.js';

export type TrayCommand =
  /** openLogs: the window at the server's page (its logs tab), also where its secrets are set. */
  | { kind: 'start' | 'stop' | 'restart' | 'openLogs'; server: string }
  /** Starts the server's OAuth sign-in: the engine opens the system browser at the sign-in page. */
  | { kind: 'signIn'; server: string }
  | { kind: 'openWindow' }
  /** The window at the Quarantine screen, where held tools are approved. */
  | { kind: 'openApprovals' }
  | { kind: 'restartAll' }
  | { kind: 'setLaunchAtLogin'; enabled: boolean }
  | { kind: 'installCli' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  enabled?: boolean;
  checked?: boolean;
  submenu?: TrayMenuItem[];
  command?: TrayCommand;
}

/** Beyond this many servers the rest go in a submenu, so the OS menu stays usable. */
export const MAX_TOP_LEVEL_SERVERS = 30;
const MAX_DETAIL_CHARS = 60;

/** A mark and a word for each state, so the state is never told by colour alone. */
const STATE_LABEL: Record<ServerState, { mark: string; word: string }> = {
  ready: { mark: '●', word: 'ready' },
  starting: { mark: '◐', word: 'starting' },
  restarting: { mark: '◐', word: 'restarting' },
  backoff: { mark: '◐', word: 'waiting to retry' },
  failed: { mark: '✕', word: 'failed' },
  'needs-secret': { mark: '!', word: 'needs a secret' },
  'needs-auth': { mark: '!', word: 'needs sign-in' },
  stopped: { mark: '○', word: 'stopped' },
};

const SEPARATOR: TrayMenuItem = { type: 'separator' };

/** The whole tray menu, rebuilt from the snapshot on every change. */
export function trayMenuTemplate(
  snapshot: EngineSnapshot,
  settings: { launchAtLogin: boolean },
): TrayMenuItem[] {
  const servers = [...snapshot.servers].sort((a, b) => a.name.localeCompare(b.name));
  const anyRunning = servers.some((s) => s.enabled && s.state !== 'stopped');
  const approvals = approvalsLine(snapshot);
  return [
    { label: traySummary(snapshot), enabled: false },
    SEPARATOR,
    ...serverItems(servers),
    SEPARATOR,
    { label: 'Open Switchboard', command: { kind: 'openWindow' } },
    ...(approvals ? [{ label: `${approvals}…`, command: { kind: 'openApprovals' } } as const] : []),
    { label: 'Restart all', enabled: anyRunning, command: { kind: 'restartAll' } },
    {
      label: 'Launch at login',
      type: 'checkbox',
      checked: settings.launchAtLogin,
      command: { kind: 'setLaunchAtLogin', enabled: !settings.launchAtLogin },
    },
    { label: 'Install command-line tool', command: { kind: 'installCli' } },
    SEPARATOR,
    { label: 'Quit Switchboard', command: { kind: 'quit' } },
  ];
}

function serverItems(servers: readonly ServerSnapshot[]): TrayMenuItem[] {
  if (servers.length === 0) {
    return [{ label: 'No servers configured — add one in the window', enabled: false }];
  }
  const items = servers.map(serverSubmenu);
  if (items.length <= MAX_TOP_LEVEL_SERVERS) return items;
  const rest = items.slice(MAX_TOP_LEVEL_SERVERS);
  return [
    ...items.slice(0, MAX_TOP_LEVEL_SERVERS),
    { label: `More servers… (${rest.length})`, type: 'submenu', submenu: rest },
  ];
}

function serverSubmenu(server: ServerSnapshot): TrayMenuItem {
  const target = { server: server.name };
  const openLogs: TrayMenuItem = { label: 'Open logs', command: { kind: 'openLogs', ...target } };
  if (!server.enabled) {
    return {
      label: `○ ${server.name} (disabled)`,
      type: 'submenu',
      submenu: [{ label: 'Disabled — enable it in the window', enabled: false }, SEPARATOR, openLogs],
    };
  }
  const { mark, word } = STATE_LABEL[server.state];
  const stopped = server.state === 'stopped';
  const details: TrayMenuItem[] = [{ label: stateLine(word, server.reason), enabled: false }];
  if (server.state === 'failed' && server.lastError && server.lastError !== server.reason) {
    details.push({ label: `Last error: ${shorten(server.lastError)}`, enabled: false });
  }
  return {
    label: `${mark} ${server.name} — ${word}`,
    type: 'submenu',
    submenu: [
      ...details,
      SEPARATOR,
      ...fixFor(server),
      {
        label: 'Start',
        enabled: stopped || server.state === 'failed',
        command: { kind: 'start', ...target },
      },
      { label: 'Stop', enabled: !stopped, command: { kind: 'stop', ...target } },
      { label: 'Restart', enabled: !stopped, command: { kind: 'restart', ...target } },
      openLogs,
    ],
  };
}

/**
 * What ends a server's wait, first in its menu. No "Sign out" for a signed-in server: the snapshot
 * does not tell which servers use OAuth, and the window's server page has it.
 */
function fixFor(server: ServerSnapshot): TrayMenuItem[] {
  const target = { server: server.name };
  switch (server.state) {
    // The server's page in the window leads with the fields of the secrets it waits for.
    case 'needs-secret':
      return [{ label: 'Set secret…', command: { kind: 'openLogs', ...target } }];
    // The engine opens the browser itself; the server starts once the person has signed in.
    case 'needs-auth':
      return [{ label: 'Sign in…', command: { kind: 'signIn', ...target } }];
    default:
      return [];
  }
}

function stateLine(word: string, reason: string): string {
  const state = word.charAt(0).toUpperCase() + word.slice(1);
  const why = shorten(reason);
  return why ? `${state}: ${why}` : state;
}

/** One line, at most ~60 characters: a menu item is no place for a stack trace. */
export function shorten(text: string, max = MAX_DETAIL_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Electron's template shape; `run` gets the item's command when it is clicked. */
export function toElectronTemplate(
  items: readonly TrayMenuItem[],
  run: (command: TrayCommand) => void,
): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const options: MenuItemConstructorOptions = {};
    if (item.type !== undefined) options.type = item.type;
    // Electron reads a single '&' as a keyboard mnemonic and hides it; server names may contain one.
    if (item.label !== undefined) options.label = item.label.replaceAll('&', '&&');
    if (item.enabled !== undefined) options.enabled = item.enabled;
    if (item.checked !== undefined) options.checked = item.checked;
    if (item.submenu) options.submenu = toElectronTemplate(item.submenu, run);
    const { command } = item;
    if (command) options.click = () => run(command);
    return options;
  });
}
