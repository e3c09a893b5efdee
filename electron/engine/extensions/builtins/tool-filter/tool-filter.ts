import { z } from 'zod';
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

export const TOOL_FILTER_ID = 'tool-filter';

const schema = z.object({
  disabledTools: z
    .array(
      z.string().regex(/.__./, {
        error: 'write each entry as server__tool, e.g. github__delete_repo or github__delete_*',
      }),
    )
    .default([])
    .describe(
      'Tools to switch off, one per line, named as on the aggregated endpoint: server__tool. ' +
        '"*" matches any run of characters, e.g. github__delete_* or *__write_file.',
    )
    .meta({ title: 'Switched-off tools' }),
});

export type ToolFilterConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

/**
 * The disabled tools, compiled once per config: exact names in a set, wildcard entries in one
 * regular expression, so the per-request check is a set lookup and at most one regex test.
 */
export class DisabledTools {
  private readonly exact = new Set<string>();
  private readonly wildcards: RegExp | undefined;

  constructor(entries: readonly string[]) {
    const patterns: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim();
      if (!entry) continue;
      if (entry.includes('*')) patterns.push(entry.split('*').map(escapeRegExp).join('.*'));
      else this.exact.add(entry);
    }
    this.wildcards = patterns.length ? new RegExp(`^(?:${patterns.join('|')})$`, 's') : undefined;
  }

  get empty(): boolean {
    return this.exact.size === 0 && !this.wildcards;
  }

  /** True when the tool `tool` of server `server` is switched off. */
  has(server: string, tool: string): boolean {
    if (this.empty) return false;
    const qualified = `${server}__${tool}`;
    return this.exact.has(qualified) || (this.wildcards?.test(qualified) ?? false);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class ToolFilter implements Extension {
  readonly id = TOOL_FILTER_ID;
  readonly name = 'Tool filter';
  readonly version = '1.0.0';
  readonly description = 'Switches off chosen tools: clients do not see them, and calls to them are refused.';
  readonly defaultEnabled = false;
  readonly configSchema = configSchema;

  private disabled = new DisabledTools([]);

  initialize(ctx: ExtensionContext): void {
    this.configure(ctx.config);
  }

  configure(config: JsonObject): void {
    this.disabled = new DisabledTools(schema.parse(config).disabledTools);
  }

  filterTools(server: string, tools: Tool[]): Tool[] {
    if (this.disabled.empty) return tools;
    return tools.filter((tool) => !this.disabled.has(server, tool.name));
  }

  onRequest(request: RequestMessage, call: CallInfo): RequestOutcome {
    if (call.method !== 'tools/call' || call.tool === undefined) return request;
    if (!this.disabled.has(call.server, call.tool)) return request;
    return {
      error: engineError('BLOCKED_BY_EXTENSION', {
        server: call.server,
        detail: `the tool "${call.tool}" of server "${call.server}" is switched off in the tool filter`,
        suggestion: 'Switch it on again in Extensions → Tool filter, or ask for another tool.',
        extra: { extension: TOOL_FILTER_ID, tool: call.tool },
      }),
    };
  }
}

export function createToolFilter(): Extension {
  return new ToolFilter();
}
