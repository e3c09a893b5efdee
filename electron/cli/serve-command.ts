import { existsSync } from 'node:fs';
import os from 'node:os';
import {
  createEngineLog,
  EngineAlreadyRunningError,
  formatEvent,
  hostEngine,
  killServersSync,
  packageVersion,
  resolveConfigPath,
  resolveHome,
  type HostedEngine,
} from '../engine/index.js';
import type { CliIo } from './main.js';
import { onStopSignals } from './stop-signals.js';
import { parseCount, UsageError } from './usage-error.js';

export const SERVE_HELP = `Usage: switchboard serve [--port N|0] [--host H] [--config FILE]

Runs the engine headless: starts the servers in the config file, keeps them running, follows edits
of the file, and serves health, readiness and the control API over HTTP.
Writes <home>/engine.json (pid, port, token; mode 0600) while it runs.

Options:
      --port N       port to listen on; 0 picks a free one (default: settings.port, else 7420)
      --host H       address to bind (default 127.0.0.1; anything else is reachable from the network)
      --config FILE  config file (default: SWITCHBOARD_CONFIG, else <home>/config.json)
  -h, --help         show this help
`;

interface ServeArgs {
  port: number | undefined;
  host: string | undefined;
  config: string | undefined;
  help: boolean;
}

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = { port: undefined, host: undefined, config: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') args.help = true;
    else if (flag === '--port') args.port = Math.floor(parseCount(flag, value()));
    else if (flag === '--host') args.host = value();
    else if (flag === '--config') args.config = value();
    else throw new UsageError(`unknown option ${flag} for \`switchboard serve\``);
  }
  if (args.port !== undefined && args.port > 65535)
    throw new UsageError('--port must be between 0 and 65535');
  return args;
}

/** `switchboard serve`: the engine headless, until a stop signal. */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseServeArgs(argv);
  if (args.help) {
    io.stdout.write(SERVE_HELP);
    return 0;
  }
  const log = createEngineLog(io.stderr);
  const inputs = { flag: args.config, env: process.env, platform: process.platform, homedir: os.homedir() };
  const home = resolveHome(inputs);
  const configFile = resolveConfigPath(inputs);
  // A named file that is not there is a typo, not a wish for an empty engine (the default one is
  // created when missing).
  if (args.config !== undefined && !existsSync(configFile)) {
    io.stderr.write(
      `switchboard: the config file ${configFile} does not exist; check the path, or leave out --config to use the default one.\n`,
    );
    return 1;
  }
  let hosted: HostedEngine;
  try {
    hosted = await hostEngine({
      home,
      configFile,
      host: args.host,
      port: args.port,
      homedir: os.homedir(),
      env: process.env,
      version: packageVersion(),
      log,
      onEvent: (event) => {
        const line = formatEvent(event, io.cwd);
        if (line) log(line);
      },
    });
  } catch (err) {
    if (err instanceof EngineAlreadyRunningError) log(err.message);
    else {
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      log(
        `cannot start: ${(err as Error).message}${inUse ? '; choose another --port (0 picks a free one)' : ''}`,
      );
    }
    return 1;
  }
  const { engine } = hosted;
  io.stdout.write(
    `switchboard engine listening on ${engine.url} (config ${engine.configFile}, home ${home})\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      log('stopping: every server is being stopped');
      await hosted.stop();
      stopListening();
      resolve(code);
    };
    const stopListening = onStopSignals(
      (_signal, code) => void stop(code),
      () => killServersSync(hosted),
    );
  });
}
