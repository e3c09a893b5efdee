import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch as chokidarWatch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { systemClock, type Clock } from '../flow/clock.js';
import { ChangeDebouncer, type ChangeBatch } from './debounce.js';
import { DEFAULT_IGNORES, planWatch, type WatchPlan } from './watch-targets.js';

export type WatchMode = 'native' | 'polling';

/**
 * chokidar drops further `change` events for a path within 50 ms of the last one (a leading-edge
 * throttle with no trailing event). Flushing no sooner than this after an event means a write made
 * in that window is already on disk when we act, so the last save is never missed.
 */
export const MIN_DEBOUNCE_MS = 60;

/** Polling stats every file, so keep it slow enough to stay cheap on big trees. */
export const POLL_INTERVAL_MS = 300;

export interface FileWatcherOptions {
  /** Files, directories or globs; relative entries resolve against `cwd`. */
  watch: string[];
  /** Extra ignore globs, on top of DEFAULT_IGNORES. */
  ignore?: string[];
  extensions?: string[];
  cwd: string;
  debounceMs: number;
  /** Longest a continuous stream of changes can postpone a flush; defaults to 10 × debounceMs. */
  maxWaitMs?: number;
  clock?: Clock;
  /** Skip native watching (network drives, containers, some VMs). */
  usePolling?: boolean;
  log: (line: string) => void;
  /** Test seam: builds the underlying chokidar watcher. */
  createWatcher?: (paths: string[], options: ChokidarOptions) => FSWatcher;
}

export interface FileWatcherEvents {
  change: [batch: ChangeBatch];
}

/**
 * Watches the server's files and emits one `change` per burst of edits. Prefers native
 * events and drops to polling when the OS refuses more watches (inotify limits), since a
 * slower reload beats none.
 */
export class FileWatcher extends EventEmitter<FileWatcherEvents> {
  readonly roots: string[];
  private currentMode: WatchMode;
  private readonly plan: WatchPlan;
  private readonly debouncer: ChangeDebouncer;
  private readonly createWatcher: (paths: string[], options: ChokidarOptions) => FSWatcher;
  private watcher: FSWatcher | undefined;
  private starting: Promise<void> | undefined;
  private abortOpen: (() => void) | undefined;
  private readonly loggedErrors = new Set<string>();
  private closed = false;

  constructor(private readonly options: FileWatcherOptions) {
    super();
    this.plan = planWatch({
      watch: options.watch,
      ignore: [...DEFAULT_IGNORES, ...(options.ignore ?? [])],
      extensions: options.extensions,
      cwd: options.cwd,
    });
    this.roots = this.plan.roots;
    this.currentMode = options.usePolling ? 'polling' : 'native';
    this.createWatcher = options.createWatcher ?? chokidarWatch;
    this.debouncer = new ChangeDebouncer(
      options.clock ?? systemClock,
      Math.max(options.debounceMs, MIN_DEBOUNCE_MS),
      (batch) => this.emit('change', batch),
      { maxWaitMs: options.maxWaitMs },
    );
  }

  get mode(): WatchMode {
    return this.currentMode;
  }

  /** Resolves once the initial scan is done, so edits made afterwards are seen. */
  start(): Promise<void> {
    this.starting ??= this.run();
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.debouncer.dispose();
    this.abortOpen?.();
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.close();
  }

  private async run(): Promise<void> {
    for (const root of this.roots) {
      if (!existsSync(root))
        this.options.log(`watch path ${root} does not exist yet; it will be watched once created`);
    }
    if (this.currentMode === 'polling') return this.open(true);
    try {
      await this.open(false);
    } catch (err) {
      await this.fallBackToPolling(err);
    }
  }

  private open(polling: boolean): Promise<void> {
    if (this.closed) return Promise.resolve();
    // chokidar 5 misbehaves on missing paths: 'ready' comes before the other roots are
    // scanned, and a root missing two levels deep is never picked up. So chokidar gets the
    // nearest existing ancestor instead; plan.isIgnored prunes everything off the way.
    const paths = [...new Set(this.roots.map(nearestExisting))];
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const watcher = this.createWatcher(paths, {
        ignoreInitial: true,
        ignored: (p: string) => this.plan.isIgnored(p),
        ignorePermissionErrors: true,
        usePolling: polling,
        interval: POLL_INTERVAL_MS,
        binaryInterval: POLL_INTERVAL_MS,
      });
      this.watcher = watcher;
      // CHOKIDAR_USEPOLLING in the environment can force polling behind our back.
      if (watcher.options?.usePolling) this.currentMode = 'polling';
      const onFile = (p: string) => {
        if (this.watcher === watcher && this.plan.isRelevant(p)) this.debouncer.add(p);
      };
      // Directory adds alone change nothing; a deleted directory yields an unlink per file.
      watcher.on('add', onFile).on('change', onFile).on('unlink', onFile);
      watcher.on('error', (err: unknown) => {
        if (this.watcher !== watcher) return;
        if (this.currentMode === 'polling') this.logErrorOnce(err);
        else if (!ready) reject(err);
        else void this.fallBackToPolling(err);
      });
      const onReady = () => {
        ready = true;
        this.abortOpen = undefined;
        resolve();
      };
      this.abortOpen = resolve;
      // With nothing to scan chokidar never says 'ready'.
      if (paths.length === 0) onReady();
      else watcher.once('ready', onReady);
    });
  }

  private async fallBackToPolling(err: unknown): Promise<void> {
    if (this.closed || this.currentMode === 'polling') return;
    this.currentMode = 'polling';
    const old = this.watcher;
    this.watcher = undefined;
    this.abortOpen = undefined;
    await old?.close().catch(() => undefined);
    this.options.log(
      `native file watching failed (${describe(err)}); falling back to polling every ${POLL_INTERVAL_MS} ms. ` +
        raiseLimitHint(),
    );
    try {
      await this.open(true);
    } catch (pollErr) {
      this.options.log(`file watching is off: polling failed too (${describe(pollErr)})`);
    }
  }

  private logErrorOnce(err: unknown): void {
    const text = describe(err);
    const key = (err as NodeJS.ErrnoException | undefined)?.code ?? text;
    if (this.loggedErrors.has(key)) return;
    this.loggedErrors.add(key);
    this.options.log(`file watching error: ${text}`);
  }
}

function nearestExisting(p: string): string {
  let current = p;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function raiseLimitHint(): string {
  if (process.platform === 'linux') {
    return (
      'To watch natively, raise the inotify limits, e.g. ' +
      '`sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512` ' +
      '(persist in /etc/sysctl.d/), or narrow --watch'
    );
  }
  return 'To watch natively, raise the open-file limit (`ulimit -n`) or narrow --watch';
}
