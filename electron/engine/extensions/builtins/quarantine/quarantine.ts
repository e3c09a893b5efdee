import path from 'node:path';
import { z } from 'zod';
import type { QuarantinedToolDto } from '../../../../shared/api.js';
import { engineError } from '../../../../shared/errors.js';
import type {
  CallInfo,
  Extension,
  ExtensionContext,
  JsonObject,
  RequestMessage,
  RequestOutcome,
  Tool,
} from '../../extension.js';
import { toolHash, toolVersion, type ToolVersion } from './tool-hash.js';
import { ToolPins } from './tool-pins.js';

export const QUARANTINE_ID = 'quarantine';
export const PINS_FILE = 'pins.json';

const schema = z.object({
  trustExisting: z
    .boolean()
    .default(false)
    .describe(
      'Approve the tools of a server automatically the first time the quarantine sees it ' +
        '(for turning quarantine on in an existing setup). Later changes are still held.',
    )
    .meta({ title: "Trust a server's tools the first time" }),
});

export type QuarantineConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

const TOOLS_LIST_CHANGED = { jsonrpc: '2.0', method: 'notifications/tools/list_changed' } as const;

/**
 * Holds back every tool until the person approves it, and holds it again when its description or
 * schemas change afterwards (a "rug pull": a server that turns a harmless tool into a harmful one).
 */
export class Quarantine implements Extension {
  readonly id = QUARANTINE_ID;
  readonly name = 'Tool quarantine';
  readonly version = '1.0.0';
  readonly description =
    'Hides new tools, and tools whose description or schema changed, until you approve them in the window.';
  readonly defaultEnabled = false;
  readonly configSchema = configSchema;

  private ctx: ExtensionContext | undefined;
  private config: QuarantineConfig = schema.parse({});
  private pins: ToolPins | undefined;
  /** Hashing is the costly part of a tools/list; tool objects are replaced, not changed, when re-listed. */
  private readonly hashes = new WeakMap<Tool, string>();
  /** A server's list by name, per list object: calls look tools up without building a map each time. */
  private readonly byName = new WeakMap<Tool[], Map<string, Tool>>();

  async initialize(ctx: ExtensionContext): Promise<void> {
    this.ctx = ctx;
    this.configure(ctx.config);
    this.pins = await ToolPins.load(path.join(ctx.dataDir, PINS_FILE), ctx.log);
  }

  configure(config: JsonObject): void {
    this.config = schema.parse(config);
  }

  async shutdown(): Promise<void> {
    await this.pins?.flush();
  }

  /** The server's full list: new versions are held, and tools it no longer offers stop waiting. */
  onToolsChanged(server: string, tools: Tool[]): void {
    this.observe(server, tools, true);
  }

  filterTools(server: string, tools: Tool[]): Tool[] {
    // Judge the tools as the server lists them: an earlier extension may have annotated them.
    const listed = this.serverTools(server);
    this.observe(server, [...listed.values(), ...tools.filter((tool) => !listed.has(tool.name))], false);
    return tools.filter((tool) => this.isApproved(server, listed.get(tool.name) ?? tool));
  }

  onRequest(request: RequestMessage, call: CallInfo): RequestOutcome {
    if (call.method !== 'tools/call' || call.tool === undefined) return request;
    const reason = this.heldReason(call.server, call.tool);
    if (!reason) return request;
    const what = `the tool "${call.tool}" of server "${call.server}"`;
    const detail =
      reason === 'changed'
        ? `${what} changed since you approved it and waits for your approval again`
        : `${what} waits for your approval`;
    return {
      error: engineError('BLOCKED_BY_EXTENSION', {
        server: call.server,
        detail,
        suggestion: 'Approve it in the Switchboard window (Quarantine), then call it again.',
        extra: { extension: QUARANTINE_ID, tool: call.tool },
      }),
    };
  }

  /** The tools waiting for approval, by server and name. */
  pending(): QuarantinedToolDto[] {
    const list: QuarantinedToolDto[] = [];
    for (const { server, tool, pending, approved } of this.requirePins().allPending()) {
      list.push({
        server,
        tool,
        reason: pending.reason,
        since: pending.since,
        current: pending.current,
        ...(pending.reason === 'changed' && approved ? { approved } : {}),
      });
    }
    return list.sort((a, b) => a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool));
  }

  pendingCount(): number {
    let count = 0;
    for (const _ of this.requirePins().allPending()) count++;
    return count;
  }

  /**
   * Approves the held versions of a server's tools (all of them, or the ones named) and tells the
   * server's clients their tool list changed. Returns the names approved.
   */
  async approve(server: string, tools?: string[]): Promise<string[]> {
    const pins = this.requirePins();
    const wanted = tools ? new Set(tools) : undefined;
    const approved: string[] = [];
    for (const tool of pins.pendingNames(server)) {
      const held = pins.pendingTool(server, tool);
      if (!held || (wanted && !wanted.has(tool))) continue;
      pins.approve(server, tool, held.current);
      approved.push(tool);
    }
    if (!approved.length) return [];
    const ctx = this.requireContext();
    ctx.changed();
    ctx.notifyClients(TOOLS_LIST_CHANGED, server);
    try {
      await pins.save();
    } catch (err) {
      throw new Error(
        `The tools are approved, but saving ${PINS_FILE} failed (${(err as Error).message}); ` +
          'they will wait for approval again after a restart unless the next save works.',
        { cause: err },
      );
    }
    return approved;
  }

  private observe(server: string, tools: Tool[], complete: boolean): void {
    const pins = this.requirePins();
    const ctx = this.requireContext();
    if (!pins.knows(server)) {
      // A server not up yet lists nothing; seeing it then must not use up its first sight.
      if (!tools.length) return;
      pins.addServer(server);
      if (this.config.trustExisting) {
        for (const tool of tools) pins.approve(server, tool.name, this.versionOf(tool));
        ctx.log.info(`trusted the ${tools.length} tools of "${server}", seen for the first time`);
        this.persist();
        return;
      }
      this.persist();
    }
    let changed = false;
    for (const tool of tools) {
      const hash = this.hashOf(tool);
      if (pins.approvedVersion(server, tool.name)?.hash === hash)
        changed = pins.release(server, tool.name) || changed;
      else changed = pins.hold(server, tool.name, toolVersion(tool, hash), ctx.clock.now()) || changed;
    }
    if (complete) {
      const offered = new Set(tools.map((tool) => tool.name));
      for (const tool of pins.pendingNames(server)) {
        if (!offered.has(tool)) changed = pins.release(server, tool) || changed;
      }
    }
    if (!changed) return;
    this.persist();
    ctx.changed();
  }

  private isApproved(server: string, tool: Tool): boolean {
    return this.requirePins().approvedVersion(server, tool.name)?.hash === this.hashOf(tool);
  }

  /** Why a call to the tool must wait, or undefined when it may go. */
  private heldReason(server: string, tool: string): 'new' | 'changed' | undefined {
    const pins = this.requirePins();
    const approved = pins.approvedVersion(server, tool);
    if (!approved) return 'new';
    const held = pins.pendingTool(server, tool);
    if (held) return held.reason;
    const current = this.serverTools(server).get(tool);
    return current && this.hashOf(current) !== approved.hash ? 'changed' : undefined;
  }

  private serverTools(server: string): Map<string, Tool> {
    const list = this.requireContext().toolsOf(server);
    let map = this.byName.get(list);
    if (!map) {
      map = new Map(list.map((tool) => [tool.name, tool]));
      this.byName.set(list, map);
    }
    return map;
  }

  private hashOf(tool: Tool): string {
    let hash = this.hashes.get(tool);
    if (hash === undefined) {
      hash = toolHash(tool);
      this.hashes.set(tool, hash);
    }
    return hash;
  }

  private versionOf(tool: Tool): ToolVersion {
    return toolVersion(tool, this.hashOf(tool));
  }

  /** Saves in the background: hooks do not wait for the disk; a failure is logged. */
  private persist(): void {
    const ctx = this.requireContext();
    this.requirePins()
      .save()
      .catch((err: unknown) => ctx.log.warn(`could not save ${PINS_FILE}: ${(err as Error).message}`));
  }

  private requirePins(): ToolPins {
    if (!this.pins) throw new Error('the quarantine extension is not initialized');
    return this.pins;
  }

  private requireContext(): ExtensionContext {
    if (!this.ctx) throw new Error('the quarantine extension is not initialized');
    return this.ctx;
  }
}

export function createQuarantine(): Quarantine {
  return new Quarantine();
}
