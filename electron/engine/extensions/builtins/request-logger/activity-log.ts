import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityEntryDto } from '../../../../shared/api.js';
import { activityEntrySchema } from '../../../../shared/api-schemas.js';
import type { Clock, TimerHandle } from '../../../flow/clock.js';

export type ActivityStatus = ActivityEntryDto['status'];

export interface ActivitySearch {
  /** Words that must all appear (any case) in server, method, tool, client, error or params. */
  query?: string;
  server?: string;
  status?: ActivityStatus;
  /** At most this many entries (1..1000). */
  limit: number;
}

export interface ActivityLogOptions {
  dir: string;
  clock: Clock;
  /** The current file is rotated before it would grow past this. */
  maxFileBytes: number;
  /** Files kept in all, the current one included. */
  maxFiles: number;
  /** Buffered lines are written this long after the first of them... */
  flushDelayMs?: number;
  /** ...or as soon as this many characters are waiting. */
  flushChars?: number;
  /** Lines beyond this many waiting characters are dropped (the disk is slow or failing). */
  maxPendingChars?: number;
  /** Told when a write fails (the lines of that write are lost). */
  onError?: (err: Error) => void;
}

const CURRENT = 'activity.jsonl';
const ROTATED = /^activity\.(\d+)\.jsonl$/;
const MAX_LIMIT = 1000;

/**
 * The activity log: JSON lines under `<dir>/activity.jsonl`, rotated to `activity.1.jsonl`... and
 * bounded to `maxFiles` files. `append` only buffers (it runs on the request path); writes, rotations
 * and searches run one at a time on a queue, so a search never sees a line twice or misses one.
 */
export class ActivityLog {
  private pending: string[] = [];
  /** Characters, not bytes: counting bytes per line would cost the request path a pass over each. */
  private pendingChars = 0;
  private timer: TimerHandle | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** The current file, held open between writes (opened again after a rotation or a failure). */
  private handle: FileHandle | undefined;
  /** Size of the current file while it is open. */
  private currentBytes = 0;
  private closed = false;
  private dropped = 0;

  constructor(private readonly options: ActivityLogOptions) {}

  setLimits(limits: { maxFileBytes: number; maxFiles: number }): void {
    this.options.maxFileBytes = limits.maxFileBytes;
    this.options.maxFiles = limits.maxFiles;
  }

  append(entry: ActivityEntryDto): void {
    if (this.closed) return;
    const line = `${JSON.stringify(entry)}\n`;
    if (this.pendingChars + line.length > (this.options.maxPendingChars ?? 4 * 1024 * 1024)) {
      this.dropped++;
      return;
    }
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= (this.options.flushChars ?? 64 * 1024)) void this.flush();
    else if (this.timer === undefined) {
      this.timer = this.options.clock.setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.flushDelayMs ?? 200);
    }
  }

  /** Writes every buffered line; resolves once they are on disk (or failed and were reported). */
  flush(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    return this.enqueue(() => this.writePending());
  }

  /** Flushes and stops taking lines. Search still works. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.enqueue(() => this.closeFile());
  }

  /** Matching entries, newest first: buffered lines, then the current file, then older files. */
  search(filter: ActivitySearch): Promise<ActivityEntryDto[]> {
    return this.enqueue(async () => {
      const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(filter.limit)));
      const words = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const found: ActivityEntryDto[] = [];
      const take = (lines: string[]): void => {
        for (let i = lines.length - 1; i >= 0 && found.length < limit; i--) {
          const entry = parseEntry(lines[i]!);
          if (entry && matchesActivity(entry, filter, words)) found.push(entry);
        }
      };
      take(this.pending);
      for (const file of await this.filesNewestFirst()) {
        if (found.length >= limit) break;
        const text = await fs.readFile(file, 'utf8').catch(() => '');
        take(text.split('\n'));
      }
      return found;
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async writePending(): Promise<void> {
    if (this.dropped > 0) {
      this.options.onError?.(
        new Error(`the disk is too slow: ${this.dropped} activity entries were dropped`),
      );
      this.dropped = 0;
    }
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    try {
      for (const part of this.partsOf(lines)) {
        let handle = this.handle ?? (await this.openCurrent());
        if (this.currentBytes > 0 && this.currentBytes + part.length > this.options.maxFileBytes) {
          await this.closeFile();
          await this.rotate();
          handle = await this.openCurrent();
        }
        await handle.write(part);
        this.currentBytes += part.length;
      }
    } catch (err) {
      await this.closeFile().catch(() => undefined); // opened again, and measured, next time
      this.options.onError?.(err as Error);
    }
  }

  /** The lines as one buffer, or as several no larger than a file when they are more than one holds. */
  private partsOf(lines: string[]): Buffer[] {
    const whole = Buffer.from(lines.join(''), 'utf8');
    if (whole.length <= this.options.maxFileBytes) return [whole];
    const parts: Buffer[] = [];
    let part: string[] = [];
    let bytes = 0;
    for (const line of lines) {
      const size = Buffer.byteLength(line);
      if (bytes > 0 && bytes + size > this.options.maxFileBytes) {
        parts.push(Buffer.from(part.join(''), 'utf8'));
        part = [];
        bytes = 0;
      }
      part.push(line);
      bytes += size;
    }
    if (part.length > 0) parts.push(Buffer.from(part.join(''), 'utf8'));
    return parts;
  }

  private async openCurrent(): Promise<FileHandle> {
    // The first write, or the first after a failure: the folder may have gone.
    await fs.mkdir(this.options.dir, { recursive: true });
    const handle = await fs.open(path.join(this.options.dir, CURRENT), 'a+');
    try {
      const { size } = await handle.stat();
      this.currentBytes = size;
      // A crash mid-write leaves a torn last line: start on a fresh one so only that line is lost.
      if (size > 0 && !(await endsWithNewline(handle, size))) {
        await handle.write('\n');
        this.currentBytes++;
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    this.handle = handle;
    return handle;
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.currentBytes = 0;
    await handle?.close();
  }

  /** Shifts activity.i.jsonl to i+1, drops what is past maxFiles, and starts a fresh current file. */
  private async rotate(): Promise<void> {
    const dir = this.options.dir;
    const keep = Math.max(0, this.options.maxFiles - 1);
    const generations = await this.rotatedGenerations();
    for (const gen of generations)
      if (gen >= keep) await fs.rm(path.join(dir, `activity.${gen}.jsonl`), { force: true });
    for (const gen of generations.filter((g) => g < keep).reverse()) {
      await fs.rename(path.join(dir, `activity.${gen}.jsonl`), path.join(dir, `activity.${gen + 1}.jsonl`));
    }
    if (keep > 0) await fs.rename(path.join(dir, CURRENT), path.join(dir, 'activity.1.jsonl'));
    else await fs.rm(path.join(dir, CURRENT), { force: true });
  }

  /** Numbers of the rotated files on disk, ascending (newest first). */
  private async rotatedGenerations(): Promise<number[]> {
    const names = await fs.readdir(this.options.dir).catch(() => [] as string[]);
    return names
      .map((name) => ROTATED.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async filesNewestFirst(): Promise<string[]> {
    const dir = this.options.dir;
    const rotated = (await this.rotatedGenerations()).map((gen) => path.join(dir, `activity.${gen}.jsonl`));
    return [path.join(dir, CURRENT), ...rotated];
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** A log line as an entry, or undefined when it is not one (a torn write, a hand edit). */
function parseEntry(line: string): ActivityEntryDto | undefined {
  if (!line.trim()) return undefined;
  try {
    const parsed = activityEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function matchesActivity(
  entry: ActivityEntryDto,
  filter: Pick<ActivitySearch, 'server' | 'status'>,
  words: readonly string[],
): boolean {
  if (filter.server !== undefined && entry.server !== filter.server) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (words.length === 0) return true;
  const params =
    entry.params === undefined
      ? ''
      : typeof entry.params === 'string'
        ? entry.params
        : JSON.stringify(entry.params);
  const haystack = [entry.server, entry.method, entry.tool, entry.client, entry.error, params]
    .filter((part) => part !== undefined)
    .join('\n')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}
