import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  promises as fs,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

export interface LogStoreOptions {
  dir: string;
  /** A log file is rotated when it would grow past this. */
  maxBytes?: number;
  /** Rotated files kept besides the current one (`name.log.1` … `name.log.N`). */
  maxFiles?: number;
  /** Told once per server when its log cannot be written; the engine goes on without it. */
  onError?: (server: string, err: Error) => void;
}

/** Called with each line appended to a server's log, as it is appended. */
export type LogListener = (line: string) => void;

interface OpenLog {
  fd: number;
  bytes: number;
}

/**
 * Per-server log files under `<dir>/<server>.log`, rotated by size and bounded in count, so a
 * chatty server can never fill the disk and its log survives an engine restart. Writes are
 * synchronous appends: ordered, and a rotation can never race a pending write.
 */
export class LogStore {
  private readonly open = new Map<string, OpenLog>();
  private readonly broken = new Set<string>();
  private readonly listeners = new Map<string, Set<LogListener>>();
  private readonly maxBytes: number;
  private readonly maxFiles: number;

  constructor(private readonly options: LogStoreOptions) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.maxFiles = options.maxFiles ?? 3;
  }

  append(server: string, line: string): void {
    this.notify(server, line);
    if (this.broken.has(server)) return;
    const data = Buffer.from(`${line}\n`, 'utf8');
    try {
      let log = this.logOf(server);
      if (log.bytes > 0 && log.bytes + data.length > this.maxBytes) {
        this.rotate(server, log);
        log = this.logOf(server);
      }
      writeSync(log.fd, data);
      log.bytes += data.length;
    } catch (err) {
      this.broken.add(server);
      this.options.onError?.(server, err as Error);
    }
  }

  /** The last `count` lines of a server's log (only those `match` keeps), across rotations, oldest first. */
  async tail(server: string, count: number, match?: (line: string) => boolean): Promise<string[]> {
    const lines: string[] = [];
    for (const file of this.filesNewestFirst(server)) {
      if (lines.length >= count) break;
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        break;
      }
      prependLast(text, lines, count, match);
    }
    return lines;
  }

  /**
   * Calls `listener` with every line appended to a server's log from now on; returns an unsubscribe.
   * The listener runs inside `append`, so it must be quick and must not throw (a throw is ignored).
   */
  subscribe(server: string, listener: LogListener): () => void {
    let set = this.listeners.get(server);
    if (!set) this.listeners.set(server, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(server) === set) this.listeners.delete(server);
    };
  }

  /**
   * The last `count` lines, then every new one: `backlog` holds what is on disk now, and `listener`
   * gets each line appended after it. The read is synchronous so no append can fall between the two.
   */
  follow(server: string, count: number, listener: LogListener): { backlog: string[]; stop: () => void } {
    const backlog: string[] = [];
    for (const file of this.filesNewestFirst(server)) {
      if (backlog.length >= count) break;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        break;
      }
      prependLast(text, backlog, count);
    }
    return { backlog, stop: this.subscribe(server, listener) };
  }

  close(): void {
    for (const log of this.open.values()) closeSync(log.fd);
    this.open.clear();
  }

  private logOf(server: string): OpenLog {
    let log = this.open.get(server);
    if (log) return log;
    mkdirSync(this.options.dir, { recursive: true });
    const fd = openSync(this.fileOf(server), 'a');
    log = { fd, bytes: fstatSync(fd).size };
    this.open.set(server, log);
    return log;
  }

  /** Shifts `name.log.i` to `.i+1` (dropping the oldest) and starts a fresh `name.log`. */
  private rotate(server: string, log: OpenLog): void {
    closeSync(log.fd);
    this.open.delete(server);
    const file = this.fileOf(server);
    rmSync(`${file}.${this.maxFiles}`, { force: true });
    for (let i = this.maxFiles - 1; i >= 1; i--) {
      try {
        renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(file, `${file}.1`);
  }

  private notify(server: string, line: string): void {
    const set = this.listeners.get(server);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(line);
      } catch {
        // A follower's problem must never stop the log from being written.
      }
    }
  }

  /** `name.log`, `name.log.1`, … `name.log.N`: newest first. */
  private filesNewestFirst(server: string): string[] {
    const file = this.fileOf(server);
    return [file, ...Array.from({ length: this.maxFiles }, (_, i) => `${file}.${i + 1}`)];
  }

  private fileOf(server: string): string {
    return path.join(this.options.dir, `${encodeURIComponent(server)}.log`);
  }
}

/** Puts the last lines of `text` (those `match` keeps) in front of `lines`, until it holds `count`. */
function prependLast(text: string, lines: string[], count: number, match?: (line: string) => boolean): void {
  if (text === '') return;
  let fileLines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  if (match) fileLines = fileLines.filter(match);
  const wanted = count - lines.length;
  if (wanted <= 0 || fileLines.length === 0) return;
  lines.unshift(...fileLines.slice(-wanted));
}
