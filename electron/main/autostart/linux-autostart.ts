import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Launch at login on Linux (and other XDG desktops): a Desktop Entry in the user's autostart folder.
// https://specifications.freedesktop.org/autostart-spec/latest/
// https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html

export const AUTOSTART_FILE = 'switchboard.desktop';

export interface AutostartPlace {
  env: NodeJS.ProcessEnv;
  homedir: string;
}

export interface AutostartCommand {
  /** The running executable (process.execPath). */
  execPath: string;
  /** $APPIMAGE: inside an AppImage execPath is a mount that is gone after exit; the image itself stays. */
  appImage?: string | undefined;
  args?: readonly string[];
}

/** `$XDG_CONFIG_HOME/autostart`; the spec says to ignore a relative XDG_CONFIG_HOME. */
export function autostartDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  const base = configHome && path.isAbsolute(configHome) ? configHome : path.join(homedir, '.config');
  return path.join(base, 'autostart');
}

function autostartFile(place: AutostartPlace): string {
  return path.join(autostartDir(place.env, place.homedir), AUTOSTART_FILE);
}

// Characters that make the spec require quoting an argument.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/** One Exec argument: quoted when it must be, `%` doubled (else it reads as a field code). */
function execArgument(arg: string): string {
  const quoted = arg === '' || RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  return quoted.replace(/%/g, '%%');
}

/** A Desktop Entry string value: the escapes applied on top of the Exec quoting. */
function stringValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

export function autostartEntry(opts: AutostartCommand): string {
  const executable = opts.appImage ? opts.appImage : opts.execPath;
  // Started at login, the app waits in the tray rather than opening its window.
  const args = [...(opts.args ?? []).filter((arg) => arg !== '--hidden'), '--hidden'];
  const exec = stringValue([executable, ...args].map(execArgument).join(' '));
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchboard',
    'Comment=Supervise MCP servers for AI clients',
    `Exec=${exec}`,
    'Icon=switchboard',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=false',
    '',
  ].join('\n');
}

export async function enableLinuxAutostart(opts: AutostartCommand & AutostartPlace): Promise<void> {
  const file = autostartFile(opts);
  await mkdir(path.dirname(file), { recursive: true });
  // Written aside and renamed, so a session starting meanwhile never reads half an entry.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, autostartEntry(opts));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function disableLinuxAutostart(place: AutostartPlace): Promise<void> {
  await rm(autostartFile(place), { force: true });
}

/** On when our entry exists and has not been switched off (a desktop's settings app may set these). */
export async function linuxAutostartEnabled(place: AutostartPlace): Promise<boolean> {
  const text = await readFile(autostartFile(place), 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  const entry = desktopEntryKeys(text);
  return entry.get('Hidden') !== 'true' && entry.get('X-GNOME-Autostart-enabled') !== 'false';
}

/** The keys of the [Desktop Entry] group (localized keys and other groups ignored). */
function desktopEntryKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  let inEntry = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inEntry = line === '[Desktop Entry]';
      continue;
    }
    const eq = line.indexOf('=');
    if (!inEntry || line.startsWith('#') || eq < 0) continue;
    keys.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return keys;
}
