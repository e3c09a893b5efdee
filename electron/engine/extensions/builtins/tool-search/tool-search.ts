import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NAMESPACE_SEPARATOR, splitNamespaced } from '../../../naming/namespacing.js';
import {
  textResult,
  type Extension,
  type ExtensionContext,
  type JsonObject,
  type SessionView,
  type Tool,
  type ToolCallContext,
  type ToolResult,
} from '../../extension.js';
import { Bm25Index, tokenize, type WeightedText } from './bm25.js';

export const TOOL_SEARCH_ID = 'tool-search';
export const SEARCH_TOOL = 'search_tools';
export const CALL_TOOL = 'call_tool';

const MAX_RESULTS = 50;

const schema = z.object({
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .default(8)
    .describe('How many tools search_tools returns when the model does not ask for a number.')
    .meta({ title: 'Results per search' }),
});

export type ToolSearchConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

/** How much a word counts by where it appears: the name says most about what a tool does. */
const WEIGHTS = { name: 3, title: 2, description: 1, parameterName: 1.5, parameterDescription: 1 };

/** The words of a tool, by where they appear. */
export function toolParts(tool: Tool): WeightedText[] {
  const parts: WeightedText[] = [{ tokens: tokenize(tool.name), weight: WEIGHTS.name }];
  if (tool.title) parts.push({ tokens: tokenize(tool.title), weight: WEIGHTS.title });
  if (tool.description) parts.push({ tokens: tokenize(tool.description), weight: WEIGHTS.description });
  const properties = tool.inputSchema?.properties;
  if (properties && typeof properties === 'object') {
    for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
      parts.push({ tokens: tokenize(name), weight: WEIGHTS.parameterName });
      const description = (property as { description?: unknown } | null)?.description;
      if (typeof description === 'string')
        parts.push({ tokens: tokenize(description), weight: WEIGHTS.parameterDescription });
    }
  }
  return parts;
}

/** Rebuilds the index only when the tools change (a session lists the same tools many times). */
class ToolIndexCache {
  private tools: Tool[] | undefined;
  private signature = '';
  private index = new Bm25Index<Tool>([]);

  get(tools: Tool[]): Bm25Index<Tool> {
    if (tools === this.tools) return this.index;
    const signature = createHash('sha1')
      .update(JSON.stringify(tools.map((t) => [t.name, t.title, t.description, t.inputSchema])))
      .digest('hex');
    if (signature !== this.signature) {
      this.index = new Bm25Index(tools.map((tool) => ({ item: tool, parts: toolParts(tool) })));
      this.signature = signature;
    }
    this.tools = tools;
    return this.index;
  }
}

class ToolSearch implements Extension {
  readonly id = TOOL_SEARCH_ID;
  readonly name = 'Tool search';
  readonly version = '1.0.0';
  readonly description =
    "On the aggregated endpoint, replaces the long list of every server's tools with two tools: " +
    "search_tools finds tools by what they do, call_tool calls one. Saves the model's context.";
  readonly defaultEnabled = false;
  readonly configSchema = configSchema;

  private config: ToolSearchConfig = schema.parse({});
  private ctx: ExtensionContext | undefined;
  private readonly cache = new ToolIndexCache();

  initialize(ctx: ExtensionContext): void {
    this.ctx = ctx;
    this.configure(ctx.config);
  }

  configure(config: JsonObject): void {
    this.config = schema.parse(config);
  }

  getAdditionalTools(view: SessionView): Tool[] {
    return view.endpoint === 'aggregate' ? this.searchTools() : [];
  }

  /** Server tools (namespaced) leave the list; other extensions' tools and ours stay. */
  onToolList(tools: Tool[], view: SessionView): Tool[] {
    if (view.endpoint !== 'aggregate') return tools;
    const kept = tools.filter((tool) => !tool.name.includes(NAMESPACE_SEPARATOR));
    const missing = this.searchTools().filter((own) => !kept.some((tool) => tool.name === own.name));
    return [...missing, ...kept];
  }

  async handleToolCall(name: string, args: JsonObject, ctx: ToolCallContext): Promise<ToolResult> {
    if (name === SEARCH_TOOL) return this.search(args, ctx);
    if (name === CALL_TOOL) return this.call(args, ctx);
    return textResult(
      `The tool-search extension has no tool "${name}"; use ${SEARCH_TOOL} or ${CALL_TOOL}.`,
      true,
    );
  }

  private async search(args: JsonObject, ctx: ToolCallContext): Promise<ToolResult> {
    const query = typeof args.query === 'string' ? args.query : '';
    const terms = tokenize(query);
    if (!terms.length)
      return textResult(
        `${SEARCH_TOOL} needs a "query": a few words for what you want to do, e.g. "create issue" or "read file".`,
        true,
      );
    const tools = await ctx.listTools();
    const hits = this.cache.get(tools).search(terms, this.limitOf(args.limit));
    const found = hits.map(({ item }) => ({
      name: item.name,
      description: item.description ?? item.title ?? '',
      inputSchema: item.inputSchema ?? { type: 'object' },
    }));
    const result = textResult(JSON.stringify(found));
    if (!found.length) result.content.push({ type: 'text', text: this.noMatchHint(query, tools) });
    return result;
  }

  private async call(args: JsonObject, ctx: ToolCallContext): Promise<ToolResult> {
    const name = args.name;
    const toolArgs = args.arguments ?? {};
    if (typeof name !== 'string' || !name)
      return textResult(`${CALL_TOOL} needs "name": the exact name ${SEARCH_TOOL} returned.`, true);
    if (typeof toolArgs !== 'object' || toolArgs === null || Array.isArray(toolArgs))
      return textResult(`"arguments" must be an object that matches the tool's inputSchema.`, true);
    if (name === SEARCH_TOOL || name === CALL_TOOL)
      return textResult(`Call ${name} directly, not through ${CALL_TOOL}.`, true);
    const tools = await ctx.listTools();
    if (!tools.some((tool) => tool.name === name)) {
      const near = this.cache
        .get(tools)
        .search(tokenize(name), 3)
        .map((hit) => hit.item.name);
      const suggestion = near.length ? ` Similar tools: ${near.join(', ')}.` : '';
      return textResult(
        `No tool is named "${name}".${suggestion} Use ${SEARCH_TOOL} to find the exact name.`,
        true,
      );
    }
    try {
      return await ctx.callTool(name, toolArgs as JsonObject);
    } catch (err) {
      return textResult(`Calling "${name}" failed: ${(err as Error).message}`, true);
    }
  }

  private limitOf(value: unknown): number {
    const limit =
      typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : this.config.maxResults;
    return Math.min(MAX_RESULTS, Math.max(1, limit));
  }

  private noMatchHint(query: string, tools: Tool[]): string {
    if (!tools.length) return 'No server offers tools right now: none is running, or none has tools.';
    const servers = new Set<string>();
    for (const tool of tools) {
      const split = splitNamespaced(tool.name, this.ctx?.servers() ?? []);
      if (split) servers.add(split.server);
    }
    const from = servers.size ? ` from ${[...servers].join(', ')}` : '';
    return (
      `No tool matched "${query}" among ${tools.length} tools${from}. ` +
      'Try other words for what the tool acts on or does (e.g. "issue", "file", "search"), or fewer words.'
    );
  }

  private searchTools(): Tool[] {
    return [
      {
        name: SEARCH_TOOL,
        title: 'Search tools',
        description:
          'Finds tools by what they do. The tools of the connected servers are not listed directly: ' +
          'call this first with a few words for the task (e.g. "create github issue", "read file"), ' +
          `then call ${CALL_TOOL} with one of the returned names. Returns a JSON array of ` +
          '{name, description, inputSchema}, best match first.',
        inputSchema: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'Words describing the task or the tool you need.' },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_RESULTS,
              default: this.config.maxResults,
              description: 'How many tools to return at most.',
            },
          },
          required: ['query'],
        },
      },
      {
        name: CALL_TOOL,
        title: 'Call a tool',
        description:
          `Calls a tool found with ${SEARCH_TOOL}. "name" must be the exact name it returned ` +
          '(e.g. "github__create_issue"), and "arguments" an object matching that tool\'s inputSchema. ' +
          "Returns the tool's own result.",
        inputSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: `The exact tool name from ${SEARCH_TOOL}.` },
            arguments: {
              type: 'object',
              description: "The tool's arguments, matching its inputSchema.",
              additionalProperties: true,
            },
          },
          required: ['name'],
        },
      },
    ];
  }
}

export function createToolSearch(): Extension {
  return new ToolSearch();
}
