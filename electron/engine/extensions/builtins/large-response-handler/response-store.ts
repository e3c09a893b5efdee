import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../flow/clock.js';

/** A stored reply as written to disk: the full MCP result and where it came from. */
export interface StoredReply {
  id: string;
  /** Clock ms when it was stored (expiry counts from here). */
  storedAt: number;
  server: string;
  method: string;
  tool?: string;
  result: unknown;
}

export interface ResponseStoreOptions {
  dir: string;
  clock: Clock;
  /** Stored replies older than this are gone. */
  maxAgeMs: number;
  /** At most this many files; the oldest go first. */
  maxFiles?: number;
  /** At most this many bytes in all; the oldest go first. */
  maxBytes?: number;
}

interface IndexEntry {
  storedAt: number;
  bytes: number;
  file: string;
}

const ID_PATTERN = /^r-[0-9a-f]{16}$/;
/** `<id>.<storedAt>.json`: the index can be rebuilt from names alone, without reading big files. */
const FILE_PATTERN = /^(r-[0-9a-f]{16})\.(\d+)\.json$/;

/**
 * One JSON file per stored reply in the extension's data dir, bounded in count and bytes and
 * expired by age. The index lives in memory and is rebuilt from file names on load.
 */
export class ResponseStore {
  private readonly index = new Map<string, IndexEntry>();
  private totalBytes = 0;
  private readonly maxFiles: number;
  private readonly maxBytes: number;

  constructor(private readonly options: ResponseStoreOptions) {
    this.maxFiles = options.maxFiles ?? 200;
    this.maxBytes = options.maxBytes ?? 200 * 1024 * 1024;
  }

  set maxAgeMs(ms: number) {
    this.options.maxAgeMs = ms;
  }

  get size(): number {
    return this.index.size;
  }

  /** Reads what a previous run left: indexes stored replies, deletes half-written ones. */
  async load(): Promise<void> {
    this.index.clear();
    this.totalBytes = 0;
    await fs.mkdir(this.options.dir, { recursive: true });
    const names = await fs.readdir(this.options.dir);
    const found: { id: string; entry: IndexEntry }[] = [];
    for (const name of names) {
      const file = path.join(this.options.dir, name);
      if (name.endsWith('.tmp')) {
        await fs.rm(file, { force: true });
        continue;
      }
      const match = FILE_PATTERN.exec(name);
      if (!match) continue;
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat) found.push({ id: match[1]!, entry: { storedAt: Number(match[2]), bytes: stat.size, file } });
    }
    // Oldest first, so the map's order is age order (trimming takes from the front).
    found.sort((a, b) => a.entry.storedAt - b.entry.storedAt);
    for (const { id, entry } of found) this.add(id, entry);
    await this.trim();
  }

  /**
   * Writes the reply atomically (temp file, then rename) and returns its new id. `resultJson` is the
   * result already serialized (the caller measured it), so a big reply is not stringified twice.
   */
  async save(
    meta: Omit<StoredReply, 'id' | 'storedAt' | 'result'>,
    resultJson: string,
  ): Promise<{ id: string; storedAt: number }> {
    const id = `r-${randomBytes(8).toString('hex')}`;
    const storedAt = this.options.clock.now();
    const head = JSON.stringify({ id, storedAt, ...meta });
    const data = `${head.slice(0, -1)},"result":${resultJson}}`;
    const file = path.join(this.options.dir, `${id}.${storedAt}.json`);
    const temp = `${file}.tmp`;
    await fs.mkdir(this.options.dir, { recursive: true });
    try {
      await fs.writeFile(temp, data, 'utf8');
      await fs.rename(temp, file);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
    this.add(id, { storedAt, bytes: Buffer.byteLength(data), file });
    await this.trim();
    return { id, storedAt };
  }

  /** The stored reply, or undefined when the id is unknown, expired, deleted or unreadable. */
  async read(id: string): Promise<StoredReply | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const entry = this.index.get(id);
    if (!entry) return undefined;
    if (this.expired(entry)) {
      await this.remove(id);
      return undefined;
    }
    try {
      const parsed = JSON.parse(await fs.readFile(entry.file, 'utf8')) as StoredReply;
      return parsed.id === id ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** Deletes expired replies; returns how many. */
  async sweep(): Promise<number> {
    const expired = [...this.index].filter(([, entry]) => this.expired(entry)).map(([id]) => id);
    for (const id of expired) await this.remove(id);
    return expired.length;
  }

  private expired(entry: IndexEntry): boolean {
    return this.options.clock.now() - entry.storedAt >= this.options.maxAgeMs;
  }

  private add(id: string, entry: IndexEntry): void {
    this.index.set(id, entry);
    this.totalBytes += entry.bytes;
  }

  private async remove(id: string): Promise<void> {
    const entry = this.index.get(id);
    if (!entry) return;
    this.index.delete(id);
    this.totalBytes -= entry.bytes;
    await fs.rm(entry.file, { force: true });
  }

  /** Drops the oldest replies until the store is within bounds (the newest one always stays). */
  private async trim(): Promise<void> {
    while (this.index.size > 1 && (this.index.size > this.maxFiles || this.totalBytes > this.maxBytes)) {
      const oldest = this.index.keys().next().value;
      if (oldest === undefined) break;
      await this.remove(oldest);
    }
  }
}
