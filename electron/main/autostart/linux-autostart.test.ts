import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUTOSTART_FILE,
  autostartDir,
  autostartEntry,
  disableLinuxAutostart,
  enableLinuxAutostart,
  linuxAutostartEnabled,
} from './linux-autostart.js';

/**
 * Reads an Exec value back the way a desktop does (Desktop Entry spec): string escapes first, then
 * quoted arguments, then field codes, where only `%%` may appear since we never write field codes.
 */
function execArgs(value: string): string[] {
  const unescaped = value.replace(/\\([\\snrt])/g, (_m, c: string) =>
    c === '\\' ? '\\' : c === 's' ? ' ' : c === 'n' ? '\n' : c === 't' ? '\t' : '\r',
  );
  const args: string[] = [];
  let current: string | undefined;
  let quoted = false;
  for (let i = 0; i < unescaped.length; i++) {
    const c = unescaped[i]!;
    if (quoted) {
      if (c === '\\' && '"`$\\'.includes(unescaped[i + 1] ?? '')) current += unescaped[++i]!;
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === ' ') {
      if (current !== undefined) args.push(current);
      current = undefined;
    } else if (c === '"') {
      quoted = true;
      current ??= '';
    } else {
      current = (current ?? '') + c;
    }
  }
  if (quoted) throw new Error(`unterminated quote in ${value}`);
  if (current !== undefined) args.push(current);
  return args.map((arg) => {
    if (/%(?!%)/.test(arg.replace(/%%/g, ''))) throw new Error(`field code in ${arg}`);
    return arg.replace(/%%/g, '%');
  });
}

function entryKey(text: string, key: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(`${key}=`))
    ?.slice(key.length + 1);
}

let home: string;
let config: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sb-'));
  config = path.join(home, 'xdg-config');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('autostartDir', () => {
  it('uses an absolute XDG_CONFIG_HOME, else ~/.config', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/me')).toBe('/x/cfg/autostart');
    expect(autostartDir({}, '/home/me')).toBe('/home/me/.config/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: '' }, '/home/me')).toBe('/home/me/.config/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative/cfg' }, '/home/me')).toBe('/home/me/.config/autostart');
  });
});

describe('autostartEntry', () => {
  it('is a Desktop Entry that starts the app hidden', () => {
    const text = autostartEntry({ execPath: '/opt/Switchboard/switchboard' });
    expect(text.split('\n')[0]).toBe('[Desktop Entry]');
    expect(entryKey(text, 'Type')).toBe('Application');
    expect(entryKey(text, 'Name')).toBe('Switchboard');
    expect(entryKey(text, 'Comment')).toBeTruthy();
    expect(entryKey(text, 'Exec')).toBe('/opt/Switchboard/switchboard --hidden');
    expect(entryKey(text, 'Icon')).toBe('switchboard');
    expect(entryKey(text, 'Terminal')).toBe('false');
    expect(entryKey(text, 'X-GNOME-Autostart-enabled')).toBe('true');
    expect(entryKey(text, 'NoDisplay')).toBe('false');
    expect(text).not.toMatch(/^Hidden=/m);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('starts the AppImage rather than its temporary mount', () => {
    const text = autostartEntry({
      execPath: '/tmp/.mount_SwitchXYZ/switchboard',
      appImage: '/home/me/Apps/Switchboard-0.1.0.AppImage',
    });
    expect(execArgs(entryKey(text, 'Exec')!)).toEqual([
      '/home/me/Apps/Switchboard-0.1.0.AppImage',
      '--hidden',
    ]);
    expect(text).not.toContain('.mount_');
  });

  it('quotes a path with spaces, keeps extra arguments and adds --hidden once', () => {
    const text = autostartEntry({ execPath: '/home/me/My Apps/switchboard', args: ['--hidden', '--trace'] });
    expect(entryKey(text, 'Exec')).toBe('"/home/me/My Apps/switchboard" --trace --hidden');
    expect(execArgs(entryKey(text, 'Exec')!)).toEqual([
      '/home/me/My Apps/switchboard',
      '--trace',
      '--hidden',
    ]);
  });

  it('escapes quotes, backticks, dollars, backslashes and percents as the spec says', () => {
    const execPath = '/opt/a $HOME "b" `c` \\d 100%/switchboard';
    const exec = entryKey(autostartEntry({ execPath }), 'Exec')!;
    // Spec: a literal $ in a quoted argument is \\$, a literal backslash \\\\, a literal % is %%.
    expect(exec).toBe('"/opt/a \\\\$HOME \\\\"b\\\\" \\\\`c\\\\` \\\\\\\\d 100%%/switchboard" --hidden');
    expect(execArgs(exec)).toEqual([execPath, '--hidden']);
    for (const odd of ["/o'q/x", '/o;x&y|z', '/t\tab', '/new\nline', '/~/x', '/p%u', '']) {
      const args = execArgs(entryKey(autostartEntry({ execPath: '/bin/sb', args: [odd] }), 'Exec')!);
      expect(args, JSON.stringify(odd)).toEqual(['/bin/sb', odd, '--hidden']);
    }
  });
});

describe('enable / disable / enabled, on a real XDG_CONFIG_HOME', () => {
  const place = () => ({ env: { XDG_CONFIG_HOME: config }, homedir: home });
  const file = () => path.join(config, 'autostart', AUTOSTART_FILE);

  it('writes the entry (creating the folder), reads it back and removes it', async () => {
    expect(await linuxAutostartEnabled(place())).toBe(false);
    await enableLinuxAutostart({ ...place(), execPath: '/opt/Switch Board/switchboard' });
    const text = readFileSync(file(), 'utf8');
    expect(execArgs(entryKey(text, 'Exec')!)).toEqual(['/opt/Switch Board/switchboard', '--hidden']);
    expect(readdirSync(path.dirname(file()))).toEqual([AUTOSTART_FILE]); // no temp file left behind
    expect(await linuxAutostartEnabled(place())).toBe(true);

    await disableLinuxAutostart(place());
    expect(readdirSync(path.dirname(file()))).toEqual([]);
    expect(await linuxAutostartEnabled(place())).toBe(false);
    await expect(disableLinuxAutostart(place())).resolves.toBeUndefined(); // already gone is fine
  });

  it('rewrites the entry when the app moved, using $APPIMAGE when set', async () => {
    await enableLinuxAutostart({ ...place(), execPath: '/old/switchboard' });
    await enableLinuxAutostart({
      ...place(),
      execPath: '/tmp/.mount_x/sb',
      appImage: '/apps/Switchboard.AppImage',
    });
    expect(execArgs(entryKey(readFileSync(file(), 'utf8'), 'Exec')!)).toEqual([
      '/apps/Switchboard.AppImage',
      '--hidden',
    ]);
  });

  it('counts an entry switched off by the desktop as off', async () => {
    await enableLinuxAutostart({ ...place(), execPath: '/opt/sb' });
    const text = readFileSync(file(), 'utf8');
    writeFileSync(file(), `${text}Hidden=true\n`);
    expect(await linuxAutostartEnabled(place())).toBe(false);
    writeFileSync(file(), text.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(await linuxAutostartEnabled(place())).toBe(false);
    // Keys of another group do not count.
    writeFileSync(file(), `${text}\n[Desktop Action Quit]\nHidden=true\n`);
    expect(await linuxAutostartEnabled(place())).toBe(true);
  });

  it('ignores a relative XDG_CONFIG_HOME and writes under ~/.config', async () => {
    await enableLinuxAutostart({
      env: { XDG_CONFIG_HOME: 'xdg-config' },
      homedir: home,
      execPath: '/opt/sb',
    });
    expect(readdirSync(path.join(home, '.config', 'autostart'))).toEqual([AUTOSTART_FILE]);
    expect(await linuxAutostartEnabled({ env: {}, homedir: home })).toBe(true);
  });
});
