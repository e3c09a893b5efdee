import { EventEmitter } from 'node:events';
import path from 'node:path';
import { systemClock, type Clock } from '../flow/clock.js';
import { FileWatcher } from '../watch/file-watcher.js';
import { configSchema, type SwitchboardConfig } from '../../shared/config.js';
import { formatProblems, type ConfigProblem } from '../../shared/config-errors.js';
import type { ConfigAppliedEvent, ConfigInvalidEvent } from '../../shared/events.js';
import { loadConfigFile, writeConfigFile } from './config-file.js';
import { diffServers } from './config-diff.js';

export interface ConfigServiceOptions {
  file: string;
  log: (line: string) => void;
  clock?: Clock;
  /** Editors save in bursts (temp file, rename, chmod): wait this long for the last one. */
  debounceMs?: number;
}

type ConfigEvent = ConfigAppliedEvent | ConfigInvalidEvent;

/**
 * Owns the config file: loads it, picks up hand edits live, writes atomically. An invalid file
 * never replaces the config in force; the problem is reported (event and log) until it is fixed.
 */
export class ConfigService extends EventEmitter<{ event: [ConfigEvent] }> {
  private config: SwitchboardConfig = configSchema.parse({});
  private rawConfig: Record<string, unknown> = {};
  private problems: ConfigProblem[] | undefined;
  /** A valid config was read at least once (else there is no last good one to keep). */
  private loadedOnce = false;
  private watcher: FileWatcher | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  constructor(private readonly options: ConfigServiceOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  get file(): string {
    return this.options.file;
  }

  /** The config in force (the last good one). */
  get current(): SwitchboardConfig {
    return this.config;
  }

  /** The config in force as the JSON it was read from (a copy): what an editor should show. */
  get raw(): Record<string, unknown> {
    return structuredClone(this.rawConfig);
  }

  /** What is wrong with the file on disk, when it is wrong. */
  get invalid(): readonly ConfigProblem[] | undefined {
    return this.problems;
  }

  /** Reads the file (again) and, when it is valid and different, puts it in force. */
  reload(): Promise<void> {
    // One at a time: a slow read of an old version must never land after a newer one.
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => {});
    return next;
  }

  private async reloadNow(): Promise<void> {
    const result = await loadConfigFile(this.options.file);
    const at = this.clock.now();
    if (!result.ok) {
      this.problems = result.problems;
      const kept = this.loadedOnce
        ? 'keeping the last good config'
        : 'no server runs until it is fixed (Switchboard reloads it when it is saved)';
      this.options.log(
        `config ${this.options.file} is invalid; ${kept}:\n${formatProblems(result.problems)}`,
      );
      this.emit('event', { type: 'config.invalid', file: this.options.file, problems: result.problems, at });
      return;
    }
    const wasInvalid = this.problems !== undefined;
    this.problems = undefined;
    this.loadedOnce = true;
    const diff = diffServers(this.config.mcpServers, result.config.mcpServers);
    const serversChanged = diff.added.length + diff.removed.length + diff.changed.length > 0;
    const anythingChanged = serversChanged || JSON.stringify(this.rawConfig) !== JSON.stringify(result.raw);
    this.config = result.config;
    this.rawConfig = result.raw;
    if (!anythingChanged && !wasInvalid) return;
    const { added, removed, changed } = diff;
    if (serversChanged) {
      this.options.log(`config applied: ${describe({ added, removed, changed })}`);
    }
    this.emit('event', { type: 'config.applied', file: this.options.file, added, removed, changed, at });
  }

  /** Loads once, then follows hand edits of the file. */
  async start(): Promise<void> {
    await this.reload();
    this.watcher = new FileWatcher({
      watch: [this.options.file],
      cwd: path.dirname(this.options.file),
      debounceMs: this.options.debounceMs ?? 100,
      clock: this.clock,
      log: this.options.log,
    });
    this.watcher.on('change', () => void this.reload());
    await this.watcher.start();
  }

  /**
   * Changes the file through a copy of its raw JSON (so keys Switchboard does not know survive),
   * validates, writes atomically with a backup, and puts the result in force.
   */
  async update(mutate: (raw: Record<string, unknown>) => void): Promise<void> {
    if (this.problems) {
      throw new Error(
        `the config file is invalid, so it was not changed; fix it first:\n${formatProblems(this.problems)}`,
      );
    }
    const next = structuredClone(this.rawConfig);
    mutate(next);
    await writeConfigFile(this.options.file, next);
    await this.reload();
  }

  /**
   * Replaces the whole file with `raw` (validated, written atomically with a backup) and puts it in
   * force. Unlike `update`, this works while the file on disk is invalid: it is how an editor fixes it.
   */
  async replace(raw: Record<string, unknown>): Promise<void> {
    await writeConfigFile(this.options.file, raw);
    await this.reload();
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }
}

function describe(diff: { added: string[]; removed: string[]; changed: string[] }): string {
  const parts = [
    diff.added.length ? `added ${diff.added.join(', ')}` : '',
    diff.removed.length ? `removed ${diff.removed.join(', ')}` : '',
    diff.changed.length ? `changed ${diff.changed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.join('; ');
}
