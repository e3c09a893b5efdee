import { describe, expect, it } from 'vitest';
import { expandHome, resolveConfigPath, resolveHome } from './config-paths.js';

const base = { env: {}, homedir: '/home/ada' };

describe('config paths', () => {
  it('prefers --config, then SWITCHBOARD_CONFIG, then <home>/config.json', () => {
    const env = { SWITCHBOARD_CONFIG: '/etc/sb.json', SWITCHBOARD_HOME: '/srv/sb' };
    expect(resolveConfigPath({ ...base, env, platform: 'linux', flag: '~/my.json' })).toBe(
      '/home/ada/my.json',
    );
    expect(resolveConfigPath({ ...base, env, platform: 'linux' })).toBe('/etc/sb.json');
    expect(resolveConfigPath({ ...base, env: { SWITCHBOARD_HOME: '/srv/sb' }, platform: 'linux' })).toBe(
      '/srv/sb/config.json',
    );
  });

  it("uses the platform's app-data folder for <home>", () => {
    expect(resolveHome({ ...base, platform: 'linux' })).toBe('/home/ada/.config/switchboard');
    expect(resolveHome({ ...base, env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux' })).toBe(
      '/x/switchboard',
    );
    expect(resolveHome({ ...base, platform: 'darwin' })).toBe(
      '/home/ada/Library/Application Support/Switchboard',
    );
    expect(
      resolveHome({ ...base, env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32' }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Switchboard');
  });

  it('expands ~ only at the start', () => {
    expect(expandHome('~', '/h')).toBe('/h');
    expect(expandHome('~/dev/x', '/h')).toBe('/h/dev/x');
    expect(expandHome('/a/~/b', '/h')).toBe('/a/~/b');
  });
});
