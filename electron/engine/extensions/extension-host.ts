import path from 'node:path';
import type { Clock } from '../flow/clock.js';
import type { ConfigService } from '../config/config-service.js';
import { ApiError } from '../errors/api-error.js';
import { unknownExtension } from '../api/extension-catalog.js';
import type { ExtensionDto } from '../../shared/api.js';
import type { EngineEvent } from '../../shared/events.js';
import type { Extension, ExtensionContext, HookName, JsonObject } from './extension.js';
import { FAILURE_LIMIT, FAILURE_WINDOW_MS, type ExtensionSlot } from './extension-slot.js';
import { HookPipeline } from './hook-pipeline.js';
import { extensionContext, type GatewayAccess } from './extension-context.js';
import { builtinSlot, thirdPartySlots } from './extension-sources.js';
import { catchUpOnTools, runLifecycleHooks } from './server-lifecycle-hooks.js';
import {
  applyEntry,
  readEntry,
  startSlot,
  writeEntry,
  type EntryDeps,
  type ExtensionEntry,
} from './extension-entries.js';

export type { GatewayAccess };

export interface ExtensionHostOptions {
  home: string;
  config: ConfigService;
  clock: Clock;
  log: (line: string) => void;
  emit: (event: EngineEvent) => void;
  /** Fresh instances, in the order their hooks run. */
  builtins: Extension[];
  gateway: GatewayAccess;
  /** Set when every extension is held off (the SWITCHBOARD_EXTENSIONS=off kill switch): why. */
  heldOff?: string;
}

const TOOL_SHAPING_HOOKS: HookName[] = ['filterTools', 'getAdditionalTools', 'onToolList'];

/**
 * The extension system (DESIGN §8): registers built-ins and the third-party extensions found in
 * `<home>/extensions/`, keeps each one's enabled state, config and scope equal to the config file
 * (changes apply live, no server restarts), and switches off an extension that keeps failing.
 */
export class ExtensionHost {
  readonly pipeline: HookPipeline;
  private slots: ExtensionSlot[] = [];
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly entryDeps: EntryDeps = {
    context: (slot) => this.context(slot),
    log: (slot, message) => this.log(slot, message),
    started: (slot) => {
      this.pipeline.use(this.slots);
      catchUpOnTools(slot, this.options.gateway, (s, hook, err) => this.failed(s, hook, err));
    },
  };
  private readonly onConfigEvent = (event: { type: string }) => {
    if (event.type === 'config.applied') void this.sync();
  };

  constructor(private readonly options: ExtensionHostOptions) {
    this.pipeline = new HookPipeline({
      clock: options.clock,
      failed: (slot, hook, error) => this.failed(slot, hook, error),
    });
    this.slots = options.builtins.map(builtinSlot);
  }

  get thirdPartyDir(): string {
    return path.join(this.options.home, 'extensions');
  }

  /** Finds third-party extensions, then brings every extension to what the config file says. */
  async start(): Promise<void> {
    this.slots.push(...(await thirdPartySlots(this.thirdPartyDir, this.slots, this.options.log)));
    this.options.config.on('event', this.onConfigEvent);
    await this.sync();
  }

  /** The running instance of an enabled extension (the API reaches the built-ins' views this way). */
  running<T extends Extension>(id: string): T | undefined {
    const slot = this.slot(id);
    return slot?.enabled ? (slot.instance as T) : undefined;
  }

  /** Engine events drive the lifecycle hooks. */
  onEngineEvent(event: EngineEvent): void {
    runLifecycleHooks(this.pipeline, this.options.gateway, event);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.config.off('event', this.onConfigEvent);
    await this.syncing;
    for (const slot of this.slots) {
      if (!slot.enabled) continue;
      await Promise.resolve(slot.instance?.onShutdown?.()).catch((err: unknown) =>
        this.failed(slot, 'onShutdown', err),
      );
      await slot.deactivate().catch((err: unknown) => this.log(slot, `shutdown failed: ${String(err)}`));
    }
    this.pipeline.use([]);
  }

  /** Hook figures per extension that has run any hook, for /metrics. */
  hookFigures(): {
    extension: string;
    p50Ms: number | undefined;
    p99Ms: number | undefined;
    calls: number;
    failures: number;
  }[] {
    return this.slots
      .filter((s) => s.timings.calls > 0)
      .map((s) => ({
        extension: s.id,
        p50Ms: s.timings.quantile(0.5),
        p99Ms: s.timings.quantile(0.99),
        calls: s.timings.calls,
        failures: s.timings.failures,
      }));
  }

  // ---- the catalog (API and window) ---------------------------------------------------------------

  async list(): Promise<ExtensionDto[]> {
    return this.slots.map((s) => this.dto(s));
  }

  async setEnabled(id: string, enabled: boolean): Promise<ExtensionDto> {
    const slot = this.slot(id) ?? this.refuse(id);
    if (enabled && this.options.heldOff !== undefined) throw new ApiError(409, this.options.heldOff);
    if (enabled) {
      slot.forcedOff = false;
      // Started before it is written down: one that cannot start stays off, in the file too.
      await this.queue(async () => {
        if (slot.enabled) return;
        await startSlot(slot, this.entry(id), this.entryDeps);
        if (slot.enabled) this.changedLive(slot);
      });
      if (!slot.enabled)
        throw new ApiError(422, `${slot.manifest.name} could not start: ${slot.problem ?? 'unknown'}`);
    }
    await this.write(id, (entry) => (entry.enabled = enabled));
    await this.sync();
    return this.dto(slot);
  }

  async setConfig(id: string, config: JsonObject): Promise<ExtensionDto> {
    const slot = this.slot(id) ?? this.refuse(id);
    const checked = slot.checkConfig(config);
    if (!checked.ok)
      throw new ApiError(
        400,
        `the config of ${slot.manifest.name} is not valid; fix the fields named`,
        checked.problems,
      );
    await this.write(id, (entry) => (entry.config = config));
    await this.sync();
    return this.dto(slot);
  }

  async setServers(id: string, servers: string[] | null): Promise<ExtensionDto> {
    const slot = this.slot(id) ?? this.refuse(id);
    await this.write(id, (entry) => {
      if (servers === null) delete entry.servers;
      else entry.servers = [...new Set(servers)];
    });
    await this.sync();
    return this.dto(slot);
  }

  // ---- keeping the slots equal to the file --------------------------------------------------------

  /** Applies the config file's `extensions` block (serialized: one change at a time). */
  sync(): Promise<void> {
    return this.queue(async () => {
      let toolsChanged = false;
      for (const slot of this.slots) {
        const entry = this.entry(slot.id);
        if (!(await applyEntry(slot, entry, this.options.heldOff, this.entryDeps))) continue;
        this.announce(slot);
        toolsChanged ||= shapesTools(slot);
      }
      this.pipeline.use(this.slots);
      if (toolsChanged) this.options.gateway.toolListsChanged();
    });
  }

  /** Told at once (not at the next sync): the window, and clients whose tool lists it shapes. */
  private changedLive(slot: ExtensionSlot): void {
    this.announce(slot);
    if (shapesTools(slot)) this.options.gateway.toolListsChanged();
  }

  // ---- failures -----------------------------------------------------------------------------------

  private failed(slot: ExtensionSlot, hook: HookName, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log(slot, `${hook} failed and was skipped: ${message}`);
    if (!slot.enabled || !slot.recordFailure(this.options.clock.now()) || this.stopped) return;
    slot.forcedOff = true;
    slot.problem = `switched off after ${FAILURE_LIMIT} failures within ${FAILURE_WINDOW_MS / 1000} s (last: ${hook}: ${message}); enable it again to retry`;
    this.pipeline.use(this.slots.filter((s) => s !== slot));
    this.options.emit({
      type: 'extension.notice',
      extension: slot.id,
      message: `${slot.manifest.name} was switched off: it failed ${FAILURE_LIMIT} times in a minute (${message}).`,
      at: this.options.clock.now(),
    });
    void this.write(slot.id, (entry) => (entry.enabled = false))
      .catch((err: unknown) =>
        this.log(slot, `could not record that it is off in the config file: ${String(err)}`),
      )
      .then(() => this.sync());
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private context(slot: ExtensionSlot): ExtensionContext {
    return extensionContext(slot, {
      home: this.options.home,
      clock: this.options.clock,
      gateway: this.options.gateway,
      emit: this.options.emit,
      log: (message) => this.log(slot, message),
      changed: () => this.announce(slot),
    });
  }

  private announce(slot: ExtensionSlot): void {
    this.options.emit({
      type: 'extension.changed',
      extension: slot.id,
      enabled: slot.isOn,
      ...(slot.problem !== undefined ? { problem: slot.problem } : {}),
      at: this.options.clock.now(),
    });
  }

  private dto(slot: ExtensionSlot): ExtensionDto {
    const dto = slot.describe(this.entry(slot.id).config);
    const problem = slot.problem ?? this.options.heldOff;
    return problem !== undefined ? { ...dto, problem } : dto;
  }

  private entry(id: string): ExtensionEntry {
    return readEntry(this.options.config, id);
  }

  private write(id: string, change: (entry: ExtensionEntry) => void): Promise<void> {
    return writeEntry(this.options.config, id, change);
  }

  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.syncing.then(step);
    this.syncing = next.catch((err: unknown) => this.options.log(`extensions: ${String(err)}`));
    return next;
  }

  private slot(id: string): ExtensionSlot | undefined {
    return this.slots.find((s) => s.id === id);
  }

  private refuse(id: string): never {
    throw unknownExtension(id);
  }

  private log(slot: ExtensionSlot, message: string): void {
    this.options.log(`[${slot.id}] ${message}`);
  }
}

function shapesTools(slot: ExtensionSlot): boolean {
  return TOOL_SHAPING_HOOKS.some((h) => typeof slot.instance?.[h] === 'function');
}
