import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClientId, InstallMode } from '../../shared/clients.js';
import { writeFileAtomic } from '../persistence/atomic-file.js';
import { ClientError } from './client-error.js';

/** What is on record about one install: enough to tell whether the file changed since, and to undo it. */
interface InstallRecord {
  client: ClientId;
  file: string;
  mode: InstallMode;
  at: number;
  /** False when the install created the file (undo deletes it). */
  existed: boolean;
  /** The file's permission bits before, restored with its bytes. */
  fileMode?: number;
  /** sha256 of the bytes the install wrote. */
  installed: string;
}

export interface InstallStatus {
  mode: InstallMode;
  at: number;
  changedSince: boolean;
}

export type UndoOutcome = { outcome: 'restored' | 'deleted'; keptAs?: string };

/**
 * The originals of client files Switchboard rewrote, in `<home>/client-backups/` (mode 0600: they may
 * hold tokens). The first install keeps the original; installing again keeps that first one, so undo
 * always goes back to the file as it was before Switchboard touched it.
 */
export class InstallBackups {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  async status(file: string): Promise<InstallStatus | undefined> {
    const record = await this.read(file);
    if (!record) return undefined;
    const current = await digestOf(file);
    return { mode: record.mode, at: record.at, changedSince: current !== record.installed };
  }

  /** Writes `next` over the client's file atomically, keeping the original the first time. */
  async install(
    client: ClientId,
    file: string,
    original: Buffer | undefined,
    next: string,
    mode: InstallMode,
  ): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const previous = await this.read(file);
    const fileMode = original ? (await fs.stat(file)).mode & 0o777 : undefined;
    if (!previous && original) await writeFileAtomic(this.originalPath(file), original, { mode: 0o600 });
    const record: InstallRecord = previous
      ? { ...previous, mode, at: this.now(), installed: digest(Buffer.from(next, 'utf8')) }
      : {
          client,
          file,
          mode,
          at: this.now(),
          existed: original !== undefined,
          ...(fileMode !== undefined ? { fileMode } : {}),
          installed: digest(Buffer.from(next, 'utf8')),
        };
    // The record goes first: if writing the client's file fails, undo still finds the original.
    await writeFileAtomic(this.recordPath(file), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await writeFileAtomic(file, next);
  }

  /**
   * Puts the original bytes back (or deletes a file the install created). When the file changed after
   * the install, refuses unless `force`; then the changed file is kept next to it first.
   */
  /** Puts the file back as it was before the install; with `dryRun`, only says what that would do. */
  async undo(file: string, force: boolean, dryRun = false): Promise<UndoOutcome> {
    const record = await this.read(file);
    if (!record) {
      throw new ClientError(
        'nothing-to-undo',
        `Switchboard has not installed itself into ${file} (or that was undone already); there is nothing to undo`,
      );
    }
    let keptAs: string | undefined;
    const current = await digestOf(file);
    if (current !== record.installed) {
      if (!force) {
        throw new ClientError(
          'changed',
          `${file} changed after Switchboard's install, so undoing would lose those changes; run again with --force (the window: "Restore anyway") to restore the original and keep the current file next to it`,
        );
      }
      if (current !== undefined) {
        keptAs = `${file}.switchboard-${readableTime(this.now())}.bak`;
        if (!dryRun) await fs.copyFile(file, keptAs);
      }
    }
    if (dryRun) return { outcome: record.existed ? 'restored' : 'deleted', ...(keptAs ? { keptAs } : {}) };
    let outcome: UndoOutcome['outcome'];
    if (record.existed) {
      const original = await fs.readFile(this.originalPath(file));
      await writeFileAtomic(file, original, { mode: record.fileMode ?? 0o644 });
      outcome = 'restored';
    } else {
      await fs.rm(file, { force: true });
      outcome = 'deleted';
    }
    await fs.rm(this.recordPath(file), { force: true });
    await fs.rm(this.originalPath(file), { force: true });
    return { outcome, ...(keptAs ? { keptAs } : {}) };
  }

  private async read(file: string): Promise<InstallRecord | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.recordPath(file), 'utf8')) as InstallRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ClientError(
        'unreadable',
        `the install record for ${file} cannot be read (${(err as Error).message}); its original is in ${this.originalPath(file)}`,
      );
    }
  }

  /** One pair of files per client file, named after its path (two projects' .mcp.json differ). */
  private key(file: string): string {
    return `${path.basename(file)}-${digest(Buffer.from(path.resolve(file), 'utf8')).slice(0, 16)}`;
  }

  private recordPath(file: string): string {
    return path.join(this.dir, `${this.key(file)}.json`);
  }

  originalPath(file: string): string {
    return path.join(this.dir, `${this.key(file)}.original`);
  }
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function digestOf(file: string): Promise<string | undefined> {
  try {
    return digest(await fs.readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A time for a file name that a person reads: 2026-12-06T13-45-12.345Z (UTC; no colons for Windows). */
function readableTime(ms: number): string {
  return new Date(ms).toISOString().replace(/:/g, '-');
}
