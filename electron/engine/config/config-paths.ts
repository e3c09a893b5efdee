import path from 'node:path';

export interface PathInputs {
  /** `--config`, when given. */
  flag?: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
}

/** `<home>`: SWITCHBOARD_HOME, else the platform's app-data folder (DESIGN §6). */
export function resolveHome({ env, platform, homedir }: PathInputs): string {
  if (env.SWITCHBOARD_HOME) return path.resolve(env.SWITCHBOARD_HOME);
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support', 'Switchboard');
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA ?? path.win32.join(homedir, 'AppData', 'Roaming'), 'Switchboard');
  }
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir, '.config'), 'switchboard');
}

/** The config file: `--config`, else SWITCHBOARD_CONFIG, else `<home>/config.json`. */
export function resolveConfigPath(inputs: PathInputs): string {
  const chosen = inputs.flag ?? inputs.env.SWITCHBOARD_CONFIG;
  if (chosen) return path.resolve(expandHome(chosen, inputs.homedir));
  return path.join(resolveHome(inputs), 'config.json');
}

/** `~` and `~/x` mean the person's home folder, as in a shell. */
export function expandHome(p: string, homedir: string): string {
  if (p === '~') return homedir;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(homedir, p.slice(2));
  return p;
}
