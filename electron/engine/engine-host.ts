import { Engine, type EngineOptions } from './engine.js';
import { readEngineInfo, removeEngineInfo, writeEngineInfo, type EngineInfo } from './http/engine-info.js';
import { killProcessGroupSync } from './process/process-runner.js';
import { keepServingThroughInternalErrors } from './last-resort.js';

/** Another engine (`switchboard serve` or the tray app) already serves this home. */
export class EngineAlreadyRunningError extends Error {
  constructor(
    readonly home: string,
    readonly running: EngineInfo,
  ) {
    super(
      `another engine (pid ${running.pid}) already serves ${home} at ${running.url}; stop it first, or set SWITCHBOARD_HOME to use another home`,
    );
    this.name = 'EngineAlreadyRunningError';
  }
}

export interface HostedEngine {
  readonly engine: Engine;
  /** Stops every server (bounded by their shutdown timeouts), closes every surface, removes engine.json. */
  stop(): Promise<void>;
}

/**
 * The engine as a process hosts it (`switchboard serve`, the tray app): one engine per home, found
 * by others through `<home>/engine.json`; if this process dies without stopping, its servers'
 * process groups go with it.
 */
export async function hostEngine(options: EngineOptions): Promise<HostedEngine> {
  const running = await readEngineInfo(options.home);
  if (running && running.pid !== process.pid) throw new EngineAlreadyRunningError(options.home, running);
  const engine = new Engine(options);
  await engine.start(); // EADDRINUSE and friends go to the caller, which knows what to suggest
  const url = new URL(engine.url);
  await writeEngineInfo(options.home, {
    pid: process.pid,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port),
    url: engine.url,
    token: engine.token,
    startedAt: Date.now(),
    socket: engine.socketPath,
  });
  const killOnExit = () => killGroupsSync(engine);
  process.on('exit', killOnExit);
  const stopGuard = keepServingThroughInternalErrors(engine.log);
  let stopping: Promise<void> | undefined;
  return {
    engine,
    stop: () =>
      (stopping ??= (async () => {
        await engine.stop();
        await removeEngineInfo(options.home);
        process.off('exit', killOnExit);
        stopGuard();
      })()),
  };
}

/** For a process's `exit` handler after a failed stop: kill what is left of the servers, synchronously. */
export function killServersSync(hosted: HostedEngine): void {
  killGroupsSync(hosted.engine);
}

function killGroupsSync(engine: Engine): void {
  for (const pid of engine.supervisor.pids()) killProcessGroupSync(pid);
}
