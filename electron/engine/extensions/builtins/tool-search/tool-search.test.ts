import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  textResult,
  type Extension,
  type JsonObject,
  type Tool,
  type ToolCallContext,
} from '../../extension.js';
import { fakeContext, type FakeContext } from '../../testing/fake-context.js';
import { CALL_TOOL, configSchema, createToolSearch, SEARCH_TOOL, TOOL_SEARCH_ID } from './tool-search.js';

const contexts: FakeContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) rmSync(ctx.dataDir, { recursive: true, force: true });
});

const SERVER_TOOLS: Tool[] = [
  {
    name: 'github__create_issue',
    description: 'Open a new issue in a repository',
    inputSchema: { type: 'object', properties: { title: { type: 'string' }, body: { type: 'string' } } },
  },
  { name: 'github__listPullRequests', description: 'List the pull requests of a repository' },
  {
    name: 'files__read_file',
    title: 'Read file',
    description: 'Returns the contents of a text file',
    inputSchema: { type: 'object', properties: { path: { type: 'string', description: 'Absolute path' } } },
  },
  { name: 'weather__forecast', description: 'Weather for the next days in a city' },
];

const aggregate = { session: 's1', endpoint: 'aggregate' } as const;
const single = { session: 's2', endpoint: 'server', server: 'github' } as const;

function started(config: JsonObject = {}): Extension {
  const ctx = fakeContext({
    id: TOOL_SEARCH_ID,
    config,
    tools: { github: [], files: [], weather: [] },
  });
  contexts.push(ctx);
  const extension = createToolSearch();
  void extension.initialize?.(ctx);
  return extension;
}

/** A session's tool-call context that lists `tools` and records the calls made through it. */
function toolContext(tools: () => Tool[]) {
  const calls: { name: string; args: JsonObject }[] = [];
  const ctx: ToolCallContext = {
    ...aggregate,
    listTools: () => Promise.resolve(tools()),
    callTool: (name, args) => {
      calls.push({ name, args });
      return Promise.resolve(textResult(`called ${name}`));
    },
    progress: () => {},
  };
  return { ctx, calls };
}

function parsed(result: { content: JsonObject[] }): { name: string; inputSchema: unknown }[] {
  return JSON.parse(String(result.content[0]?.text)) as { name: string; inputSchema: unknown }[];
}

describe('tool-search tool list', () => {
  it('replaces the server tools with search_tools and call_tool on the aggregated endpoint', () => {
    const search = started();
    const own = search.getAdditionalTools!(aggregate);
    expect(own.map((t) => t.name)).toEqual([SEARCH_TOOL, CALL_TOOL]);
    const otherExtensionTool = { name: 'remember', description: 'another extension' };
    const list = search.onToolList!([...SERVER_TOOLS, otherExtensionTool, ...own], aggregate);
    expect(list.map((t) => t.name).sort()).toEqual([CALL_TOOL, 'remember', SEARCH_TOOL]);
  });

  it('adds its tools when the list came without them', () => {
    const list = started().onToolList!(SERVER_TOOLS, aggregate);
    expect(list.map((t) => t.name)).toEqual([SEARCH_TOOL, CALL_TOOL]);
  });

  it('leaves a single server endpoint alone', () => {
    const search = started();
    expect(search.getAdditionalTools!(single)).toEqual([]);
    expect(search.onToolList!(SERVER_TOOLS, single)).toBe(SERVER_TOOLS);
  });

  it('describes how to use its tools, with the configured default limit', () => {
    const [searchTool, callTool] = started({ maxResults: 12 }).getAdditionalTools!(aggregate);
    expect(searchTool?.description).toContain(CALL_TOOL);
    expect(callTool?.description).toContain('inputSchema');
    expect(searchTool?.inputSchema).toMatchObject({
      required: ['query'],
      properties: { limit: { type: 'integer', default: 12 } },
    });
  });

  it('has a config schema the window form can show', () => {
    expect(configSchema.properties).toMatchObject({
      maxResults: { type: 'integer', default: 8, minimum: 1, maximum: 50 },
    });
  });
});

describe('search_tools', () => {
  it('finds tools by name, title, description and parameter words, best first', async () => {
    const search = started();
    const { ctx } = toolContext(() => SERVER_TOOLS);
    const issue = parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'create an issue' }, ctx));
    expect(issue[0]?.name).toBe('github__create_issue');
    expect(issue[0]?.inputSchema).toEqual(SERVER_TOOLS[0]?.inputSchema);
    const pulls = parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'pull requests' }, ctx));
    expect(pulls.map((t) => t.name)).toEqual(['github__listPullRequests']);
    const byParameter = parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'absolute path' }, ctx));
    expect(byParameter.map((t) => t.name)).toEqual(['files__read_file']);
    const byServer = parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'github' }, ctx));
    expect(byServer.map((t) => t.name).sort()).toEqual(['github__create_issue', 'github__listPullRequests']);
  });

  it('returns at most limit results, the config default otherwise', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `notes__note_${i}`, description: 'a note' }));
    const { ctx } = toolContext(() => many);
    expect(
      parsed(await started({ maxResults: 3 }).handleToolCall!(SEARCH_TOOL, { query: 'note' }, ctx)),
    ).toHaveLength(3);
    expect(
      parsed(await started().handleToolCall!(SEARCH_TOOL, { query: 'note', limit: 5 }, ctx)),
    ).toHaveLength(5);
    expect(
      parsed(await started().handleToolCall!(SEARCH_TOOL, { query: 'note', limit: 500 }, ctx)),
    ).toHaveLength(20);
  });

  it('gives a hint when nothing matched, naming the servers', async () => {
    const { ctx } = toolContext(() => SERVER_TOOLS);
    const result = await started().handleToolCall!(SEARCH_TOOL, { query: 'spreadsheet' }, ctx);
    expect(parsed(result)).toEqual([]);
    expect(String(result.content[1]?.text)).toMatch(
      /No tool matched "spreadsheet" among 4 tools from github, files, weather/,
    );
  });

  it('refuses an empty query', async () => {
    const { ctx } = toolContext(() => SERVER_TOOLS);
    const result = await started().handleToolCall!(SEARCH_TOOL, { query: ' the ' }, ctx);
    expect(result.isError).toBe(true);
  });

  it('sees tools that appear after an earlier search', async () => {
    let tools = SERVER_TOOLS;
    const search = started();
    const { ctx } = toolContext(() => tools);
    expect(parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'calendar' }, ctx))).toEqual([]);
    tools = [...SERVER_TOOLS, { name: 'cal__add_event', description: 'Add an event to the calendar' }];
    expect(
      parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'calendar' }, ctx)).map((t) => t.name),
    ).toEqual(['cal__add_event']);
    // A copy with the same content gives the same answers.
    tools = tools.map((t) => ({ ...t }));
    expect(parsed(await search.handleToolCall!(SEARCH_TOOL, { query: 'calendar' }, ctx))).toHaveLength(1);
  });
});

describe('call_tool', () => {
  it('calls the named tool with its arguments', async () => {
    const { ctx, calls } = toolContext(() => SERVER_TOOLS);
    const result = await started().handleToolCall!(
      CALL_TOOL,
      { name: 'github__create_issue', arguments: { title: 'Bug' } },
      ctx,
    );
    expect(result.content[0]?.text).toBe('called github__create_issue');
    expect(calls).toEqual([{ name: 'github__create_issue', args: { title: 'Bug' } }]);
  });

  it('passes empty arguments when none are given', async () => {
    const { ctx, calls } = toolContext(() => SERVER_TOOLS);
    await started().handleToolCall!(CALL_TOOL, { name: 'weather__forecast' }, ctx);
    expect(calls).toEqual([{ name: 'weather__forecast', args: {} }]);
  });

  it('answers an unknown name with similar tools and calls nothing', async () => {
    const { ctx, calls } = toolContext(() => SERVER_TOOLS);
    const result = await started().handleToolCall!(CALL_TOOL, { name: 'create_issue' }, ctx);
    expect(result.isError).toBe(true);
    expect(String(result.content[0]?.text)).toContain('Similar tools: github__create_issue');
    expect(calls).toEqual([]);
  });

  it('refuses bad arguments and calls to itself', async () => {
    const { ctx, calls } = toolContext(() => SERVER_TOOLS);
    const search = started();
    for (const args of [{}, { name: 'weather__forecast', arguments: [1] }, { name: SEARCH_TOOL }]) {
      expect((await search.handleToolCall!(CALL_TOOL, args, ctx)).isError).toBe(true);
    }
    expect(calls).toEqual([]);
  });

  it('turns a failed call into an error result', async () => {
    const { ctx } = toolContext(() => SERVER_TOOLS);
    ctx.callTool = () => Promise.reject(new Error('server went away'));
    const result = await started().handleToolCall!(CALL_TOOL, { name: 'weather__forecast' }, ctx);
    expect(result).toMatchObject({ isError: true });
    expect(String(result.content[0]?.text)).toContain('server went away');
  });
});
