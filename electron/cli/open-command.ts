import { spawn } from 'node:child_process';
import os from 'node:os';
import { EngineClient, readEngineInfo, resolveHome } from '../engine/index.js';
import type { CliIo } from './main.js';
import { UsageError } from './usage-error.js';

export const OPEN_HELP = `Usage: switchboard open [--print]

Opens the window of the running engine in the default browser, signed in with a link that works
once, within a minute (the token itself never goes into a URL).

Options:
  --print    print the link instead of opening a browser (for another machine's browser, or SSH)
`;

/** The command that opens a URL in the desktop's browser, per platform. */
export function browserCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  return ['xdg-open', [url]];
}

export async function openCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(OPEN_HELP);
    return 0;
  }
  const unknown = argv.find((a) => a !== '--print');
  if (unknown) throw new UsageError(`unknown option ${unknown} for \`switchboard open\``);
  const home = resolveHome({ env: process.env, platform: process.platform, homedir: os.homedir() });
  const engine = await readEngineInfo(home);
  if (!engine) {
    io.stderr.write(`switchboard: no engine is running for ${home}. Start one with \`switchboard serve\`.\n`);
    return 1;
  }
  const link = await new EngineClient(engine).signInLink();
  if (argv.includes('--print')) {
    io.stdout.write(`${link}\n`);
    return 0;
  }
  const [command, args] = browserCommand(process.platform, link);
  const opened = await new Promise<boolean>((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => (child.unref(), resolve(true)));
  });
  if (opened) {
    io.stdout.write(`opened the window of ${engine.url} in the browser\n`);
  } else {
    io.stdout.write(`no browser could be started (${command}); open this link within a minute:\n${link}\n`);
  }
  return 0;
}
