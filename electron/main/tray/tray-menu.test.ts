import { describe, expect, it } from 'vitest';
import { serverIn, snapshotOf } from '../../shared/testing/snapshots.js';
import type { TrayCommand, TrayMenuItem } from './tray-menu.js';
import { MAX_TOP_LEVEL_SERVERS, toElectronTemplate, trayMenuTemplate } from './tray-menu.js';

const server = serverIn;
const snapshot = snapshotOf;

const OFF = { launchAtLogin: false };

function find(items: readonly TrayMenuItem[] | undefined, label: string | RegExp): TrayMenuItem {
  const item = items?.find((i) =>
    typeof label === 'string' ? i.label === label : label.test(i.label ?? ''),
  );
  if (!item) throw new Error(`no item ${String(label)} in ${JSON.stringify(items?.map((i) => i.label))}`);
  return item;
}

function serverMenu(items: readonly TrayMenuItem[], name: string): TrayMenuItem[] {
  const item = find(items, new RegExp(`^\\S+ ${name} `));
  expect(item.type).toBe('submenu');
  return item.submenu ?? [];
}

function actions(items: readonly TrayMenuItem[]): Record<string, boolean | undefined> {
  return Object.fromEntries(items.filter((i) => i.command).map((i) => [i.label ?? '', i.enabled ?? true]));
}

describe('trayMenuTemplate', () => {
  it('starts with a disabled summary line and ends with the app commands', () => {
    const items = trayMenuTemplate(snapshot(server('a', 'ready'), server('b', 'failed')), OFF);
    expect(items[0]).toEqual({ label: '1 of 2 servers ready, 1 failed', enabled: false });
    expect(items.map((i) => i.label ?? i.type).slice(-7)).toEqual([
      'separator',
      'Open Switchboard',
      'Restart all',
      'Launch at login',
      'Install command-line tool',
      'separator',
      'Quit Switchboard',
    ]);
  });

  it('offers to put the switchboard command on PATH', () => {
    const items = trayMenuTemplate(snapshot(server('a', 'ready')), OFF);
    expect(find(items, 'Install command-line tool').command).toEqual({ kind: 'installCli' });
  });

  it('offers the tools waiting for approval next to Open Switchboard, in the singular for one', () => {
    const waiting = { ...snapshot(server('a', 'ready')), pendingApprovals: 3 };
    const items = trayMenuTemplate(waiting, OFF);
    const labels = items.map((i) => i.label ?? i.type);
    const open = labels.indexOf('Open Switchboard');
    expect(labels[open + 1]).toBe('3 tools wait for approval…');
    expect(find(items, '3 tools wait for approval…').command).toEqual({ kind: 'openApprovals' });
    const one = trayMenuTemplate({ ...waiting, pendingApprovals: 1 }, OFF);
    expect(find(one, '1 tool waits for approval…').enabled).toBeUndefined();
    const none = trayMenuTemplate({ ...waiting, pendingApprovals: 0 }, OFF);
    expect(none.some((i) => /approval/.test(i.label ?? ''))).toBe(false);
    expect(none).toHaveLength(items.length - 1);
  });

  it('has one submenu per server, sorted by name, with the state in words', () => {
    const items = trayMenuTemplate(snapshot(server('zeta', 'ready'), server('alpha', 'backoff')), OFF);
    const labels = items.filter((i) => i.type === 'submenu').map((i) => i.label);
    expect(labels).toEqual(['◐ alpha — waiting to retry', '● zeta — ready']);
  });

  it.each([
    ['stopped', { Start: true, Stop: false, Restart: false, 'Open logs': true }],
    ['failed', { Start: true, Stop: true, Restart: true, 'Open logs': true }],
    ['ready', { Start: false, Stop: true, Restart: true, 'Open logs': true }],
    ['starting', { Start: false, Stop: true, Restart: true, 'Open logs': true }],
    ['backoff', { Start: false, Stop: true, Restart: true, 'Open logs': true }],
    ['needs-secret', { 'Set secret…': true, Start: false, Stop: true, Restart: true, 'Open logs': true }],
    ['needs-auth', { 'Sign in…': true, Start: false, Stop: true, Restart: true, 'Open logs': true }],
  ] as const)('enables the right actions for a %s server', (state, expected) => {
    const items = trayMenuTemplate(snapshot(server('echo', state)), OFF);
    expect(actions(serverMenu(items, 'echo'))).toEqual(expected);
  });

  it('shows the state and a shortened one-line reason in a disabled line', () => {
    const reason = `exit code 1; retry in 400 ms\n${'because '.repeat(20)}`;
    const items = trayMenuTemplate(snapshot(server('echo', 'backoff', { reason })), OFF);
    const line = serverMenu(items, 'echo')[0];
    expect(line?.enabled).toBe(false);
    expect(line?.label).toMatch(/^Waiting to retry: exit code 1; retry in 400 ms because/);
    expect(line?.label).not.toContain('\n');
    expect(line?.label?.length).toBeLessThanOrEqual('Waiting to retry: '.length + 60);
    expect(line?.label?.endsWith('…')).toBe(true);
  });

  it('offers a server waiting for a secret a way to set it: its page in the window', () => {
    const reason = 'secret GITHUB_TOKEN is not set';
    const waiting = server('github', 'needs-secret', { reason, lastError: reason });
    const items = trayMenuTemplate(snapshot(waiting, server('web', 'ready')), OFF);
    expect(find(items, /github/).label).toBe('! github — needs a secret');
    const menu = serverMenu(items, 'github');
    expect(menu.map((i) => i.label ?? i.type)).toEqual([
      'Needs a secret: secret GITHUB_TOKEN is not set',
      'separator',
      'Set secret…',
      'Start',
      'Stop',
      'Restart',
      'Open logs',
    ]);
    expect(find(menu, 'Set secret…').command).toEqual({ kind: 'openLogs', server: 'github' });
    expect(serverMenu(items, 'web').some((i) => i.label === 'Set secret…')).toBe(false);
    expect(items[0]?.label).toBe('1 of 2 servers ready, 1 needs a secret');
  });

  it('offers a server waiting for a sign-in to sign in, which the engine does in the browser', () => {
    const reason = 'the server asks for a sign-in';
    const waiting = server('linear', 'needs-auth', { transport: 'http', reason });
    const items = trayMenuTemplate(snapshot(waiting, server('web', 'ready', { transport: 'http' })), OFF);
    expect(find(items, /linear/).label).toBe('! linear — needs sign-in');
    const menu = serverMenu(items, 'linear');
    expect(menu.map((i) => i.label ?? i.type)).toEqual([
      'Needs sign-in: the server asks for a sign-in',
      'separator',
      'Sign in…',
      'Start',
      'Stop',
      'Restart',
      'Open logs',
    ]);
    expect(find(menu, 'Sign in…').command).toEqual({ kind: 'signIn', server: 'linear' });
    // A ready remote server has no Sign out: the snapshot does not say whether it uses OAuth.
    expect(serverMenu(items, 'web').some((i) => /^Sign (in|out)/.test(i.label ?? ''))).toBe(false);
    expect(items[0]?.label).toBe('1 of 2 servers ready, 1 needs sign-in');
  });

  it("shows a failed server's last error", () => {
    const failed = server('echo', 'failed', {
      reason: 'crash loop: 5 failures in 60 s',
      lastError: 'Error: cannot find module ./dist/index.js',
    });
    const menu = serverMenu(trayMenuTemplate(snapshot(failed), OFF), 'echo');
    expect(menu[0]).toEqual({ label: 'Failed: crash loop: 5 failures in 60 s', enabled: false });
    expect(menu[1]).toEqual({
      label: 'Last error: Error: cannot find module ./dist/index.js',
      enabled: false,
    });
  });

  it('does not repeat a last error that is the reason itself, nor show one for other states', () => {
    const same = server('a', 'failed', { reason: 'exit code 1', lastError: 'exit code 1' });
    const ready = server('b', 'ready', { reason: 'started', lastError: 'exit code 1' });
    const items = trayMenuTemplate(snapshot(same, ready), OFF);
    expect(serverMenu(items, 'a').filter((i) => i.label?.startsWith('Last error'))).toEqual([]);
    expect(serverMenu(items, 'b').filter((i) => i.label?.startsWith('Last error'))).toEqual([]);
  });

  it('marks a disabled server and offers only its logs', () => {
    const items = trayMenuTemplate(snapshot(server('echo', 'stopped', { enabled: false })), OFF);
    const item = find(items, /echo/);
    expect(item.label).toBe('○ echo (disabled)');
    const withCommands = (item.submenu ?? []).filter((i) => i.command);
    expect(withCommands).toEqual([{ label: 'Open logs', command: { kind: 'openLogs', server: 'echo' } }]);
  });

  it('says what to do when there are no servers, and disables Restart all', () => {
    const items = trayMenuTemplate(snapshot(), OFF);
    expect(find(items, 'No servers configured — add one in the window').enabled).toBe(false);
    expect(items.some((i) => i.type === 'submenu')).toBe(false);
    expect(find(items, 'Restart all').enabled).toBe(false);
  });

  it('enables Restart all only while some enabled server runs', () => {
    const stopped = snapshot(server('a', 'stopped'), server('b', 'ready', { enabled: false }));
    expect(find(trayMenuTemplate(stopped, OFF), 'Restart all').enabled).toBe(false);
    const running = snapshot(server('a', 'stopped'), server('b', 'ready'));
    expect(find(trayMenuTemplate(running, OFF), 'Restart all').enabled).toBe(true);
  });

  it('checks Launch at login from the settings and its command flips it', () => {
    const on = find(trayMenuTemplate(snapshot(), { launchAtLogin: true }), 'Launch at login');
    expect(on).toMatchObject({
      type: 'checkbox',
      checked: true,
      command: { kind: 'setLaunchAtLogin', enabled: false },
    });
    const off = find(trayMenuTemplate(snapshot(), OFF), 'Launch at login');
    expect(off).toMatchObject({
      type: 'checkbox',
      checked: false,
      command: { kind: 'setLaunchAtLogin', enabled: true },
    });
  });

  it(`groups servers beyond ${MAX_TOP_LEVEL_SERVERS} under "More servers…"`, () => {
    const names = Array.from({ length: 45 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const items = trayMenuTemplate(snapshot(...[...names].reverse().map((n) => server(n, 'ready'))), OFF);
    const topLevel = items.filter((i) => i.type === 'submenu');
    expect(topLevel).toHaveLength(MAX_TOP_LEVEL_SERVERS + 1);
    expect(topLevel[0]?.label).toBe('● s00 — ready');
    const more = find(items, /^More servers…/);
    expect(more.label).toBe('More servers… (15)');
    expect(more.submenu?.map((i) => i.label)).toEqual(names.slice(30).map((n) => `● ${n} — ready`));
  });

  it('keeps exactly 30 servers at the top level', () => {
    const servers = Array.from({ length: 30 }, (_, i) => server(`s${String(i).padStart(2, '0')}`, 'ready'));
    const items = trayMenuTemplate(snapshot(...servers), OFF);
    expect(items.filter((i) => i.type === 'submenu')).toHaveLength(30);
    expect(items.some((i) => i.label?.startsWith('More servers'))).toBe(false);
  });
});

describe('toElectronTemplate', () => {
  function clickAll(template: ReturnType<typeof toElectronTemplate>, label: string | RegExp): void {
    for (const item of template) {
      const matches = typeof label === 'string' ? item.label === label : label.test(item.label ?? '');
      if (matches) {
        if (!item.click) throw new Error(`${item.label} has no click`);
        (item.click as () => void)();
      }
      if (Array.isArray(item.submenu)) clickAll(item.submenu, label);
    }
  }

  it('runs each item’s command when clicked, in submenus too', () => {
    const snap = {
      ...snapshot(
        server('echo', 'failed'),
        server('keyed', 'needs-secret'),
        server('remote', 'needs-auth'),
        server('web', 'ready'),
      ),
      pendingApprovals: 2,
    };
    const ran: TrayCommand[] = [];
    const template = toElectronTemplate(trayMenuTemplate(snap, OFF), (c) => ran.push(c));
    for (const label of [
      'Start',
      'Stop',
      'Restart',
      'Open logs',
      'Set secret…',
      'Sign in…',
      'Open Switchboard',
      'Restart all',
    ]) {
      clickAll(template, label);
    }
    clickAll(template, 'Launch at login');
    clickAll(template, /wait for approval/);
    clickAll(template, 'Quit Switchboard');
    expect(ran).toEqual([
      { kind: 'start', server: 'echo' },
      { kind: 'start', server: 'keyed' },
      { kind: 'start', server: 'remote' },
      { kind: 'start', server: 'web' },
      { kind: 'stop', server: 'echo' },
      { kind: 'stop', server: 'keyed' },
      { kind: 'stop', server: 'remote' },
      { kind: 'stop', server: 'web' },
      { kind: 'restart', server: 'echo' },
      { kind: 'restart', server: 'keyed' },
      { kind: 'restart', server: 'remote' },
      { kind: 'restart', server: 'web' },
      { kind: 'openLogs', server: 'echo' },
      { kind: 'openLogs', server: 'keyed' },
      { kind: 'openLogs', server: 'remote' },
      { kind: 'openLogs', server: 'web' },
      { kind: 'openLogs', server: 'keyed' },
      { kind: 'signIn', server: 'remote' },
      { kind: 'openWindow' },
      { kind: 'restartAll' },
      { kind: 'setLaunchAtLogin', enabled: true },
      { kind: 'openApprovals' },
      { kind: 'quit' },
    ]);
  });

  it('keeps types, enabled and checked flags, and gives no click to items without a command', () => {
    const template = toElectronTemplate(trayMenuTemplate(snapshot(server('echo', 'stopped')), OFF), () => {});
    expect(template[0]).toEqual({ label: '0 of 1 server ready', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    const echo = template.find((i) => i.label === '○ echo — stopped');
    expect(echo?.type).toBe('submenu');
    const stop = Array.isArray(echo?.submenu) ? echo.submenu.find((i) => i.label === 'Stop') : undefined;
    expect(stop?.enabled).toBe(false);
    expect(typeof stop?.click).toBe('function');
    expect(template.find((i) => i.label === 'Launch at login')).toMatchObject({
      type: 'checkbox',
      checked: false,
    });
  });

  it('escapes "&" so Electron does not take it for a mnemonic', () => {
    const template = toElectronTemplate([{ label: 'R&D tools', command: { kind: 'openWindow' } }], () => {});
    expect(template[0]?.label).toBe('R&&D tools');
  });
});
