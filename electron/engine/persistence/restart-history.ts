import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RestartCause } from '../../shared/events.js';

/** One restart as the timeline shows it: when, why, how long, how it ended. */
export interface RestartRecord {
  server: string;
  at: number;
  cause: RestartCause;
  durationMs: number;
  outcome: 'ready' | 'failed';
  error?: string;
}

/**
 * Restart history per server, as JSON lines under `<dir>/<server>.jsonl`, so it survives an
 * engine restart. Bounded: once a file holds twice the limit, it is cut back to the newest `limit`.
 */
export class RestartHistory {
  private readonly counts = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly limit = 500,
  ) {}

  append(record: RestartRecord): Promise<void> {
    // Appends and compactions run in order, so a compaction never drops a concurrent append.
    const next = this.queue.then(() => this.appendNow(record));
    this.queue = next.catch(() => {});
    return next;
  }

  /** The newest `limit` records of a server, oldest first. */
  async read(server: string, limit = this.limit): Promise<RestartRecord[]> {
    await this.queue;
    return (await this.readAll(server)).slice(-limit);
  }

  private async appendNow(record: RestartRecord): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = this.fileOf(record.server);
    await fs.appendFile(file, `${JSON.stringify(record)}\n`, 'utf8');
    const count = (this.counts.get(record.server) ?? (await this.readAll(record.server)).length - 1) + 1;
    this.counts.set(record.server, count);
    if (count < this.limit * 2) return;
    const kept = (await this.readAll(record.server)).slice(-this.limit);
    const temp = `${file}.tmp`;
    await fs.writeFile(temp, kept.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    await fs.rename(temp, file);
    this.counts.set(record.server, kept.length);
  }

  private async readAll(server: string): Promise<RestartRecord[]> {
    let text: string;
    try {
      text = await fs.readFile(this.fileOf(server), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records: RestartRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as RestartRecord);
      } catch {
        // A line cut short by a crash mid-append: skip it, keep the rest.
      }
    }
    return records;
  }

  private fileOf(server: string): string {
    return path.join(this.dir, `${encodeURIComponent(server)}.jsonl`);
  }
}
