import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  promises as fs,
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
  private readonly maxBytes: number;
  private readonly maxFiles: number;

  constructor(private readonly options: LogStoreOptions) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.maxFiles = options.maxFiles ?? 3;
  }

  append(server: string, line: string): void {
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

  /** The last `count` lines of a server's log, across rotations, oldest first. */
  async tail(server: string, count: number): Promise<string[]> {
    const lines: string[] = [];
    for (let i = 0; i <= this.maxFiles && lines.length < count; i++) {
      const file = i === 0 ? this.fileOf(server) : `${this.fileOf(server)}.${i}`;
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        break;
      }
      const fileLines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
      if (text === '') continue;
      lines.unshift(...fileLines.slice(-(count - lines.length)));
    }
    return lines;
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

  private fileOf(server: string): string {
    return path.join(this.options.dir, `${encodeURIComponent(server)}.log`);
  }
}
