import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  createEngineLog,
  FileWatcher,
  findScriptDirectory,
  formatEvent,
  keepServingThroughInternalErrors,
  killProcessGroupSync,
  NodeProcessSpawner,
  PassThroughSession,
  ProcessLink,
  ServerActor,
  systemClock,
} from '../engine/index.js';
import { parseRunArgs, RUN_HELP, type RunArgs } from './run-args.js';
import type { CliIo } from './main.js';
import { onStopSignals } from './stop-signals.js';

/** `switchboard run`: wires the pass-through session, the actor and the watcher to stdio. */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseRunArgs(argv);
  if (args.help) {
    io.stdout.write(RUN_HELP);
    return 0;
  }
  const log = createEngineLog(io.stderr);
  const name = args.name ?? serverName(args, io.cwd);
  const clock = systemClock;

  const session = new PassThroughSession({
    serverName: name,
    clientIn: io.stdin,
    clientOut: io.stdout,
    clock,
    maxMessageBytes: args.maxMessageBytes,
    bufferLimits: { maxMessages: args.bufferMessages, maxBytes: args.bufferBytes },
    drainTimeoutMs: args.drainTimeoutMs,
    internalTimeoutMs: Math.max(args.startupTimeoutMs, 10_000),
    log,
    onServerStderr: (line) => io.stderr.write(`${line}\n`),
  });
  const actor = new ServerActor({
    name,
    link: new ProcessLink({
      spec: { command: args.command, args: args.args, cwd: io.cwd },
      spawner: new NodeProcessSpawner(),
      connection: session,
      shutdownTimeoutMs: args.shutdownTimeoutMs,
    }),
    clock,
    startupTimeoutMs: args.startupTimeoutMs,
    onInternalError: (err) => log(`internal error (please report): ${(err as Error).stack ?? String(err)}`),
  });
  actor.on('event', (event) => {
    const line = formatEvent(event, io.cwd);
    if (line) log(line);
  });

  // Whatever happens to us, the server's process group goes with us.
  const killOnExit = () => {
    const pid = actor.pid;
    if (pid !== undefined) killProcessGroupSync(pid);
  };
  process.on('exit', killOnExit);
  // A bug of ours must not take the client's server down with it: say so and keep going.
  const stopGuard = keepServingThroughInternalErrors(log);

  const watcher = await startWatcher(
    args,
    io.cwd,
    log,
    (paths) => void actor.restart({ kind: 'file', paths }),
  );

  return new Promise<number>((resolve) => {
    let shuttingDown = false;
    const shutdown = async (reason: string, code: number, waitForIdle: boolean) => {
      if (shuttingDown) return;
      shuttingDown = true;
      if (waitForIdle) await session.whenIdle(args.drainTimeoutMs + args.startupTimeoutMs);
      await watcher?.close();
      await actor.stop(reason);
      process.off('exit', killOnExit);
      stopGuard();
      stopListening();
      resolve(code);
    };
    const stopListening = onStopSignals(
      (signal, code) => void shutdown(`received ${signal}`, code, false),
      killOnExit,
    );
    session.on('clientClosed', () => void shutdown('client closed stdin', 0, true));
    void actor.start().then(() => {
      // The failure and its reason were logged with the state change: once is enough.
      if (actor.state === 'failed') void shutdown('start failed', 1, false);
    });
  });
}

async function startWatcher(
  args: RunArgs,
  cwd: string,
  log: (line: string) => void,
  onChange: (paths: string[]) => void,
): Promise<FileWatcher | undefined> {
  if (args.noWatch) return undefined;
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  const watch =
    args.watch.length > 0 ? args.watch : [findScriptDirectory(args.command, args.args, cwd, isFile)];
  const targets = watch.filter((p): p is string => p !== undefined);
  if (targets.length === 0) {
    log(
      'no server script found in the command line, so nothing is watched; pass --watch PATH for hot reload',
    );
    return undefined;
  }
  const watcher = new FileWatcher({
    watch: targets,
    ignore: args.ignore,
    extensions: args.extensions,
    cwd,
    debounceMs: args.debounceMs,
    log,
  });
  watcher.on('change', (batch: { paths: string[] }) => onChange(batch.paths));
  await watcher.start();
  log(
    `watching ${targets.map((t) => path.relative(cwd, t) || '.').join(', ')}${watcher.mode === 'polling' ? ' (polling)' : ''}`,
  );
  return watcher;
}

function serverName(args: RunArgs, cwd: string): string {
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  const script = [args.command, ...args.args].find((a) => !a.startsWith('-') && isFile(path.resolve(cwd, a)));
  return path.basename(script ?? args.command).replace(/\.[^.]+$/, '') || 'server';
}
