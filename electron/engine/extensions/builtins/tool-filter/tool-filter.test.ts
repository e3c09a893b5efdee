import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Extension, Tool } from '../../extension.js';
import { fakeCall, fakeContext, type FakeContext } from '../../testing/fake-context.js';
import { configSchema, createToolFilter, DisabledTools, TOOL_FILTER_ID } from './tool-filter.js';

const contexts: FakeContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) rmSync(ctx.dataDir, { recursive: true, force: true });
});

function started(disabledTools: string[]): Extension {
  const ctx = fakeContext({ id: TOOL_FILTER_ID, config: { disabledTools } });
  contexts.push(ctx);
  const extension = createToolFilter();
  void extension.initialize?.(ctx);
  return extension;
}

const tools = (...names: string[]): Tool[] => names.map((name) => ({ name }));
const names = (list: Tool[]) => list.map((t) => t.name);
const view = { session: 's1', endpoint: 'aggregate' } as const;

describe('DisabledTools', () => {
  it('matches exact entries and wildcards in the tool and server parts', () => {
    const disabled = new DisabledTools(['github__delete_*', 'notes__wipe', '*__write_file', ' ', 'a.b__x']);
    expect(disabled.has('github', 'delete_repo')).toBe(true);
    expect(disabled.has('github', 'create_issue')).toBe(false);
    expect(disabled.has('notes', 'wipe')).toBe(true);
    expect(disabled.has('notes', 'wipe_all')).toBe(false);
    expect(disabled.has('fs', 'write_file')).toBe(true);
    expect(disabled.has('fs', 'read_file')).toBe(false);
    // Regex characters in names are literal.
    expect(disabled.has('a.b', 'x')).toBe(true);
    expect(disabled.has('aXb', 'x')).toBe(false);
  });

  it('is empty without entries', () => {
    expect(new DisabledTools([' ']).empty).toBe(true);
    expect(new DisabledTools(['a__b']).empty).toBe(false);
  });
});

describe('tool-filter', () => {
  it('hides disabled tools from a server list', () => {
    const filter = started(['github__delete_*']);
    const listed = filter.filterTools!('github', tools('delete_repo', 'create_issue', 'delete_branch'), view);
    expect(names(listed)).toEqual(['create_issue']);
    expect(names(filter.filterTools!('gitlab', tools('delete_repo'), view))).toEqual(['delete_repo']);
  });

  it('refuses a call to a disabled tool with an error that says where to switch it on', async () => {
    const filter = started(['github__delete_repo']);
    const { call, request } = fakeCall({
      method: 'tools/call',
      server: 'github',
      params: { name: 'delete_repo' },
    });
    const outcome = await filter.onRequest!(request, call);
    expect(outcome).toMatchObject({
      error: {
        code: -32071,
        data: {
          reason: 'blocked_by_extension',
          server: 'github',
          extension: 'tool-filter',
          tool: 'delete_repo',
          detail: 'the tool "delete_repo" of server "github" is switched off in the tool filter',
          suggestion: 'Switch it on again in Extensions → Tool filter, or ask for another tool.',
        },
      },
    });
  });

  it('forwards other calls and other methods unchanged', async () => {
    const filter = started(['github__delete_repo']);
    const other = fakeCall({ method: 'tools/call', server: 'github', params: { name: 'create_issue' } });
    expect(await filter.onRequest!(other.request, other.call)).toBe(other.request);
    const list = fakeCall({ method: 'tools/list', server: 'github' });
    expect(await filter.onRequest!(list.request, list.call)).toBe(list.request);
  });

  it('applies a new config at once', async () => {
    const filter = started([]);
    const { call, request } = fakeCall({ method: 'tools/call', server: 'echo', params: { name: 'echo' } });
    expect(await filter.onRequest!(request, call)).toBe(request);
    await filter.configure!({ disabledTools: ['echo__*'] });
    expect(await filter.onRequest!(request, call)).toHaveProperty('error');
    await filter.configure!({});
    expect(await filter.onRequest!(request, call)).toBe(request);
  });

  it('has a config schema the window form can show', () => {
    const property = (configSchema.properties as Record<string, Record<string, unknown>>).disabledTools;
    expect(property).toMatchObject({ type: 'array', default: [], items: { type: 'string' } });
    expect(property?.description).toContain('server__tool');
  });
});
