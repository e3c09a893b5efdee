import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real OS keyring for tests, headless: a private D-Bus session bus with an unlocked GNOME Keyring
 * (the Secret Service) on it, and a throw-away HOME for its files. Every process started with
 * `session.env` sees the same keyring, so `switchboard serve` and `switchboard secret set` meet.
 */
export interface KeyringSession {
  /** DBUS_SESSION_BUS_ADDRESS and a private HOME / XDG dirs. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const NEEDS = ['dbus-daemon', 'gnome-keyring-daemon'];

/** Why a real keyring cannot be had here, or undefined when it can. */
export function keyringUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'the headless keyring session is Linux-only';
  const missing = NEEDS.filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not installed (apt-get install gnome-keyring dbus-x11); .ci/run installs them`;
}

export async function startKeyringSession(): Promise<KeyringSession> {
  const home = mkdtempSync(path.join(tmpdir(), 'sb-keyring-'));
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await firstLine(bus, 10_000);
  const env = {
    DBUS_SESSION_BUS_ADDRESS: address,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_RUNTIME_DIR: home,
  };
  const keyring = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--foreground'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // The password of the new login keyring; the daemon reads it from stdin and unlocks with it.
  keyring.stdin!.end('switchboard-test');
  await waitForSecretService(env, 10_000);
  return {
    env,
    stop: async () => {
      await Promise.all([kill(keyring), kill(bus)]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon printed no address')), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before giving an address`)));
  });
}

/** The Secret Service answers once the daemon has claimed its name on the bus. */
async function waitForSecretService(env: Record<string, string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = spawnSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    if (probe.stdout?.includes('boolean true')) return;
    if (Date.now() > deadline)
      throw new Error('gnome-keyring-daemon did not offer the Secret Service in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Points this process at the session's keyring (the native library reads the bus address from
 * the process environment); returns what puts the old environment back.
 */
export function useInThisProcess(session: KeyringSession): () => void {
  const saved = Object.keys(session.env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, session.env);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
