import path from 'node:path';
import type { ServerActor } from '../actor/server-actor.js';
import { expandHome } from '../config/config-paths.js';
import { FileWatcher } from '../watch/file-watcher.js';
import type { ServerConfig } from '../../shared/config.js';

const DEFAULT_DEBOUNCE_MS = 300;

/**
 * Hot reload for a supervised server (DESIGN §4): a change under its `watch` paths restarts it
 * with the changed files as the cause. Paths resolve against the server's `cwd`, else the config
 * file's folder. A stopped server stays stopped; a failed one gets another chance.
 */
export async function watchServer(
  name: string,
  config: ServerConfig,
  /** The server's actors now: the shared one and those of client sessions of their own. */
  actors: () => Iterable<ServerActor>,
  ctx: { configDir: string; homedir: string; log: (line: string) => void },
): Promise<FileWatcher | undefined> {
  if (config.type !== 'stdio' || !config.watch || config.watch.length === 0) return undefined;
  const cwd = config.cwd ? path.resolve(ctx.configDir, expandHome(config.cwd, ctx.homedir)) : ctx.configDir;
  const watcher = new FileWatcher({
    watch: config.watch.map((p) => expandHome(p, ctx.homedir)),
    cwd,
    debounceMs: config.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    log: (line) => ctx.log(`${name}: ${line}`),
  });
  watcher.on('change', (batch: { paths: string[] }) => {
    for (const actor of actors())
      if (actor.state !== 'stopped') void actor.restart({ kind: 'file', paths: batch.paths });
  });
  try {
    await watcher.start();
  } catch (err) {
    ctx.log(`${name}: cannot watch ${config.watch.join(', ')}: ${(err as Error).message}; hot reload is off`);
    return undefined;
  }
  return watcher;
}
