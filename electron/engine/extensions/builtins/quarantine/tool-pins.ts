import { promises as fs } from 'node:fs';
import { z } from 'zod';
import type { ExtensionLogger } from '../../extension.js';
import type { ToolVersion } from './tool-hash.js';

/** A tool waiting for approval: never approved (new), or different from the approved version (changed). */
export interface PendingTool {
  reason: 'new' | 'changed';
  since: number;
  current: ToolVersion;
}

interface ServerPins {
  approved: Map<string, ToolVersion>;
  pending: Map<string, PendingTool>;
}

const versionSchema = z.object({
  hash: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.unknown().optional(),
});

const pinsFileSchema = z.object({
  version: z.literal(1),
  servers: z.record(
    z.string(),
    z.object({
      approved: z.record(z.string(), versionSchema),
      pending: z.record(
        z.string(),
        z.object({ reason: z.enum(['new', 'changed']), since: z.number(), current: versionSchema }),
      ),
    }),
  ),
});

/**
 * The approved and pending versions of every server's tools, kept in one JSON file. Writes go
 * to a temp file renamed over the old one (a crash leaves the old or the new file, never half),
 * run one at a time, and coalesce: changes made while a write waits go out with it.
 */
export class ToolPins {
  private readonly servers = new Map<string, ServerPins>();
  private writing: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  private constructor(private readonly file: string) {}

  /** Reads the file; a missing one starts empty, a corrupt one is set aside as `<file>.bad`. */
  static async load(file: string, log: ExtensionLogger): Promise<ToolPins> {
    const pins = new ToolPins(file);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return pins;
      throw err;
    }
    let parsed: z.output<typeof pinsFileSchema>;
    try {
      parsed = pinsFileSchema.parse(JSON.parse(text));
    } catch (err) {
      await fs.rename(file, `${file}.bad`);
      log.warn(
        `${file} could not be read (${(err as Error).message.split('\n')[0]}); it was kept as ${file}.bad ` +
          'and the quarantine starts afresh, so every tool waits for approval again.',
      );
      return pins;
    }
    for (const [server, entry] of Object.entries(parsed.servers)) {
      pins.servers.set(server, {
        approved: new Map(Object.entries(entry.approved)),
        pending: new Map(Object.entries(entry.pending)),
      });
    }
    return pins;
  }

  /** True once a server's tools have been seen (even when it had none). */
  knows(server: string): boolean {
    return this.servers.has(server);
  }

  addServer(server: string): void {
    if (!this.servers.has(server)) this.servers.set(server, { approved: new Map(), pending: new Map() });
  }

  approvedVersion(server: string, tool: string): ToolVersion | undefined {
    return this.servers.get(server)?.approved.get(tool);
  }

  pendingTool(server: string, tool: string): PendingTool | undefined {
    return this.servers.get(server)?.pending.get(tool);
  }

  pendingNames(server: string): string[] {
    return [...(this.servers.get(server)?.pending.keys() ?? [])];
  }

  /** Every pending tool, by server. */
  *allPending(): Generator<{ server: string; tool: string; pending: PendingTool; approved?: ToolVersion }> {
    for (const [server, pins] of this.servers) {
      for (const [tool, pending] of pins.pending) {
        const approved = pins.approved.get(tool);
        yield { server, tool, pending, ...(approved ? { approved } : {}) };
      }
    }
  }

  /**
   * Holds `version` of a tool for approval. Returns false when it was already held in that version;
   * a tool that changes again while held keeps its `since` and shows the newest version.
   */
  hold(server: string, tool: string, version: ToolVersion, now: number): boolean {
    this.addServer(server);
    const pins = this.servers.get(server)!;
    const held = pins.pending.get(tool);
    if (held?.current.hash === version.hash) return false;
    const reason = pins.approved.has(tool) ? 'changed' : 'new';
    pins.pending.set(tool, { reason, since: held?.since ?? now, current: version });
    return true;
  }

  /** Stops holding a tool; returns whether it was held. */
  release(server: string, tool: string): boolean {
    return this.servers.get(server)?.pending.delete(tool) ?? false;
  }

  approve(server: string, tool: string, version: ToolVersion): void {
    this.addServer(server);
    const pins = this.servers.get(server)!;
    pins.approved.set(tool, version);
    pins.pending.delete(tool);
  }

  /** Writes the current state (after any write in progress). */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.writing.then(() => {
      this.queued = undefined;
      return this.write();
    });
    this.queued = next;
    this.writing = next.catch(() => {});
    return next;
  }

  /** Waits for writes in progress (their errors were reported to whoever asked for them). */
  flush(): Promise<void> {
    return this.writing;
  }

  private async write(): Promise<void> {
    const servers: Record<string, unknown> = {};
    for (const [server, pins] of this.servers) {
      servers[server] = {
        approved: Object.fromEntries(pins.approved),
        pending: Object.fromEntries(pins.pending),
      };
    }
    const temp = `${this.file}.tmp`;
    await fs.writeFile(temp, `${JSON.stringify({ version: 1, servers }, null, 2)}\n`, 'utf8');
    await fs.rename(temp, this.file);
  }
}
