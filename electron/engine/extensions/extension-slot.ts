import { z } from 'zod';
import type { ExtensionDto } from '../../shared/api.js';
import type { ConfigProblem } from '../../shared/config-errors.js';
import type { Extension, ExtensionContext, HookName, JsonObject } from './extension.js';
import { HookTimings } from './hook-timings.js';

/** Failures in this window that switch an extension off (DESIGN §8: "keeps failing"). */
export const FAILURE_LIMIT = 5;
export const FAILURE_WINDOW_MS = 60_000;

export type ExtensionSource = 'builtin' | 'third-party';

/** What is known of an extension before its code runs (a third-party one's manifest). */
export interface ExtensionManifest {
  id: string;
  name: string;
  version: string;
  description?: string;
  defaultEnabled: boolean;
  configSchema?: JsonObject;
}

export type ConfigCheck = { ok: true; config: JsonObject } | { ok: false; problems: ConfigProblem[] };

/**
 * One registered extension and its state: enabled or not, the config in force, scope, problem,
 * timings and recent failures. The host decides; the slot keeps the facts and runs the lifecycle.
 */
export class ExtensionSlot {
  /** The running instance (set while enabled; a third-party one is loaded on first enable). */
  instance: Extension | undefined;
  enabled = false;
  config: JsonObject = {};
  /** The config as last applied, to tell a real change from a rewrite of the same values. */
  appliedConfigText = '';
  servers: ReadonlySet<string> | undefined;
  problem: string | undefined;
  /** Switched off after failing: stays off until the person enables it again. */
  forcedOff = false;
  readonly timings = new HookTimings();
  private recentFailures: number[] = [];
  private validator: z.ZodType | undefined;

  constructor(
    readonly manifest: ExtensionManifest,
    readonly source: ExtensionSource,
    private readonly load: () => Promise<Extension>,
  ) {}

  get id(): string {
    return this.manifest.id;
  }

  /** On as the person sees it: enabled and not switched off for failing (until the next sync stops it). */
  get isOn(): boolean {
    return this.enabled && !this.forcedOff;
  }

  /** Checks a config against the schema and fills in its defaults. */
  checkConfig(config: JsonObject | undefined): ConfigCheck {
    const schema = this.manifest.configSchema;
    if (!schema) return { ok: true, config: config ?? {} };
    try {
      this.validator ??= z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch (err) {
      return {
        ok: false,
        problems: [{ path: '', message: `its config schema is unusable: ${String(err)}` }],
      };
    }
    const result = this.validator.safeParse(config ?? {});
    if (result.success) return { ok: true, config: result.data as JsonObject };
    return {
      ok: false,
      problems: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }

  /** True when the extension applies to this server's traffic. */
  appliesTo(server: string): boolean {
    return this.servers === undefined || this.servers.has(server);
  }

  /** Loads (third-party) and initializes; throws with a sentence when it cannot. */
  async activate(config: JsonObject, ctx: (slot: ExtensionSlot) => ExtensionContext): Promise<void> {
    const instance = this.instance ?? (await this.load());
    if (instance.id !== this.id)
      throw new Error(`its code says its id is "${instance.id}", but it is installed as "${this.id}"`);
    this.config = config;
    this.appliedConfigText = JSON.stringify(config);
    this.instance = instance;
    await instance.initialize?.(ctx(this));
    this.enabled = true;
    this.recentFailures = [];
  }

  async deactivate(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;
    await this.instance?.shutdown?.();
  }

  async reconfigure(config: JsonObject, ctx: (slot: ExtensionSlot) => ExtensionContext): Promise<void> {
    const text = JSON.stringify(config);
    if (text === this.appliedConfigText) return;
    this.config = config;
    this.appliedConfigText = text;
    const instance = this.instance!;
    if (instance.configure) return instance.configure(config);
    await instance.shutdown?.();
    await instance.initialize?.(ctx(this));
  }

  /** Counts a failed hook; true when the extension has now failed too often and must go off. */
  recordFailure(now: number): boolean {
    this.timings.failures++;
    this.recentFailures = this.recentFailures.filter((at) => now - at < FAILURE_WINDOW_MS);
    this.recentFailures.push(now);
    return this.recentFailures.length >= FAILURE_LIMIT;
  }

  /** The slot for the API and window; `fileConfig` is shown (with defaults) while it is off. */
  describe(fileConfig: JsonObject | undefined): ExtensionDto {
    const { manifest, timings } = this;
    const p50 = timings.quantile(0.5);
    const p99 = timings.quantile(0.99);
    const checked = this.enabled ? undefined : this.checkConfig(fileConfig);
    const config = !checked ? this.config : checked.ok ? checked.config : (fileConfig ?? {});
    return {
      id: manifest.id,
      name: manifest.name,
      version: manifest.version,
      ...(manifest.description !== undefined ? { description: manifest.description } : {}),
      enabled: this.isOn,
      ...(manifest.configSchema ? { configSchema: manifest.configSchema } : {}),
      config,
      ...(this.problem !== undefined ? { problem: this.problem } : {}),
      ...(p50 !== undefined ? { hookP50Ms: roundMs(p50) } : {}),
      ...(p99 !== undefined ? { hookP99Ms: roundMs(p99) } : {}),
      hookCalls: timings.calls,
      hookFailures: timings.failures,
      ...(this.servers ? { servers: [...this.servers] } : {}),
      source: this.source,
    };
  }

  /** True when the running instance has this hook. */
  has(hook: HookName): boolean {
    return this.enabled && typeof this.instance?.[hook] === 'function';
  }
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;
