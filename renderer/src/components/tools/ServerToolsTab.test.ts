import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ApiOutput } from '../../../../electron/shared/api.js';
import type { ToolCallOutcome } from '../../../../electron/shared/tool-call-events.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import ServerToolsTab from './ServerToolsTab.vue';

const searchTool = {
  name: 'search',
  title: 'Search notes',
  description: 'Finds notes by text',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string' },
      limit: { type: 'integer', default: 5 },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['query'],
  },
};
const pingTool = {
  name: 'ping',
  description: 'Answers pong',
  inputSchema: { type: 'object', properties: {} },
};

const lists = (server: string, tools: number) => ({
  type: 'server.lists' as const,
  server,
  tools,
  prompts: 0,
  resources: 0,
  at: 1,
});

async function mountTab(
  tools: ApiOutput<'listTools'>['tools'] = [searchTool, pingTool],
  outcome: ToolCallOutcome = { result: { content: [{ type: 'text', text: 'found 2' }] } },
) {
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [] }))
    .answer('listTools', ({ server }) => ({ server, tools }))
    .answer('startToolCall', () => ({ call: 'call-1' }))
    .backlog('followToolCall', () => [{ seq: 1, kind: 'done', outcome }]);
  return mountWithEngine(ServerToolsTab, { bridge, props: { server: 'notes' } });
}

describe('ServerToolsTab', () => {
  it('lists the server tools with name, title and description, and filters them by search', async () => {
    const { wrapper, bridge } = await mountTab();
    expect(bridge.callsOf('listTools')).toEqual([{ server: 'notes' }]);
    const items = wrapper.findAll('[data-testid="tool-item"]');
    expect(items.map((i) => i.find('button').text())).toEqual(['Search notes search', 'ping']);
    expect(items.map((i) => i.find('p').text())).toEqual(['Finds notes by text', 'Answers pong']);
    const search = wrapper.find('input[type="search"]');
    expect(wrapper.find(`label[for="${search.attributes('id')}"]`).text()).toBe('Search tools');
    await search.setValue('PONG');
    expect(wrapper.findAll('[data-testid="tool-item"] button').map((i) => i.text())).toEqual(['ping']);
  });

  it('says when there are no tools (server not running)', async () => {
    const { wrapper } = await mountTab([]);
    expect(wrapper.text()).toContain('No tools (is the server running?)');
  });

  it('shows the engine message when listing fails', async () => {
    const bridge = new FakeBridge().refuse('listTools', 404, 'no server named "notes"');
    const { wrapper } = await mountWithEngine(ServerToolsTab, { bridge, props: { server: 'notes' } });
    expect(wrapper.find('[role="alert"]').text()).toBe('no server named "notes"');
  });

  it('reloads when a server.lists event for this server arrives, not for others, and stops on unmount', async () => {
    let tools = [pingTool];
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [] }))
      .answer('listTools', ({ server }) => ({ server, tools }));
    const { wrapper } = await mountWithEngine(ServerToolsTab, { bridge, props: { server: 'notes' } });
    expect(wrapper.findAll('[data-testid="tool-item"]')).toHaveLength(1);

    bridge.push('events', lists('other', 3));
    await flushPromises();
    expect(bridge.callsOf('listTools')).toHaveLength(1);

    tools = [pingTool, searchTool];
    bridge.push('events', lists('notes', 2));
    await flushPromises();
    expect(bridge.callsOf('listTools')).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="tool-item"]')).toHaveLength(2);

    wrapper.unmount();
    bridge.push('events', lists('notes', 2));
    await flushPromises();
    expect(bridge.callsOf('listTools')).toHaveLength(2);
  });

  it('calls the tool with the coerced arguments from the form', async () => {
    const { wrapper, bridge } = await mountTab();
    await wrapper.find('[data-testid="tool-open-search"]').trigger('click');
    const tester = wrapper.find('[data-testid="tool-tester"]');
    expect(tester.text()).toContain('Search notes');

    // Required field empty: no call, the error is shown at the field.
    await wrapper.find('[data-testid="tool-call"]').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('startToolCall')).toEqual([]);
    expect(tester.text()).toContain('query is required');

    await tester.find('input[type="text"]').setValue('cats');
    // A number field is a number input: what it holds goes out as a number.
    await tester.find('input[type="number"]').setValue('7');
    await tester.find('textarea').setValue('a\nb');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('startToolCall')).toEqual([
      { server: 'notes', tool: 'search', arguments: { query: 'cats', limit: 7, tags: ['a', 'b'] } },
    ]);
    expect(wrapper.find('[data-testid="tool-result"] pre').text()).toBe('found 2');
    expect(wrapper.find('[data-testid="tool-duration"]').text()).toMatch(/^Took \d+ ms$/);
  });

  it('switches to raw JSON pre-filled from the form, calls with it, and goes back to the form', async () => {
    const { wrapper, bridge } = await mountTab();
    await wrapper.find('[data-testid="tool-open-search"]').trigger('click');
    await wrapper.find('[data-testid="tool-tester"] input[type="text"]').setValue('dogs');
    const toggle = wrapper.find('[data-testid="tool-raw-toggle"]');
    expect(toggle.attributes('aria-pressed')).toBe('false');
    await toggle.trigger('click');
    expect(toggle.attributes('aria-pressed')).toBe('true');

    const raw = wrapper.find('[data-testid="tool-raw-input"]');
    expect(wrapper.find(`label[for="${raw.attributes('id')}"]`).text()).toBe('Arguments as JSON');
    expect(JSON.parse((raw.element as HTMLTextAreaElement).value)).toEqual({ query: 'dogs', limit: 5 });

    await raw.setValue('{"query": "x", "limit": 2, "extra": true}');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('startToolCall')).toEqual([
      { server: 'notes', tool: 'search', arguments: { query: 'x', limit: 2, extra: true } },
    ]);

    await raw.setValue('[1]');
    await toggle.trigger('click');
    expect(wrapper.find('[role="alert"]').text()).toContain('must be a JSON object');
    expect(toggle.attributes('aria-pressed')).toBe('true');

    await raw.setValue('{"query": "back"}');
    await toggle.trigger('click');
    expect(
      (wrapper.find('[data-testid="tool-tester"] input[type="text"]').element as HTMLInputElement).value,
    ).toBe('back');
  });

  it('refuses raw text that is not JSON without calling', async () => {
    const { wrapper, bridge } = await mountTab();
    await wrapper.find('[data-testid="tool-open-ping"]').trigger('click');
    expect(wrapper.text()).toContain('This takes no input');
    await wrapper.find('[data-testid="tool-raw-toggle"]').trigger('click');
    await wrapper.find('[data-testid="tool-raw-input"]').setValue('{nope');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('startToolCall')).toEqual([]);
    expect(wrapper.find('[role="alert"]').text()).toContain('Not valid JSON');
  });

  it('shows "Calling…" while the call is out', async () => {
    const { wrapper, bridge } = await mountTab();
    bridge.backlog('followToolCall', () => []);
    await wrapper.find('[data-testid="tool-open-ping"]').trigger('click');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-calling"]').text()).toBe('Calling…');
    expect(wrapper.find('[data-testid="tool-call"]').attributes('disabled')).toBeDefined();
    expect(bridge.openStreams('followToolCall')).toEqual([{ call: 'call-1' }]);
    bridge.push('followToolCall', { seq: 1, kind: 'done', outcome: { result: { content: [] } } });
    await flushPromises();
    expect(bridge.openStreams('followToolCall')).toEqual([]);
    expect(wrapper.find('[data-testid="tool-calling"]').text()).toBe('');
    expect(bridge.callsOf('startToolCall')).toEqual([{ server: 'notes', tool: 'ping', arguments: {} }]);
  });

  it('shows images, resources, other content as JSON, an error result and structured content', async () => {
    const { wrapper } = await mountTab([pingTool], {
      result: {
        isError: true,
        content: [
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'hello' } },
          { type: 'audio', mimeType: 'audio/wav', data: 'AAAA' },
        ],
        structuredContent: { count: 2 },
      },
    });
    await wrapper.find('[data-testid="tool-open-ping"]').trigger('click');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const result = wrapper.find('[data-testid="tool-result"]');
    expect(result.find('[data-testid="tool-error-result"]').text()).toContain('Error result');
    const img = result.find('img');
    expect(img.attributes('src')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(img.attributes('alt')).toBe('Image returned by ping (image/png)');
    expect(result.text()).toContain('Resource file:///a.txt');
    expect(result.text()).toContain('hello');
    expect(result.text()).toContain('"type": "audio"');
    expect(JSON.parse(result.find('[data-testid="tool-structured"]').text())).toEqual({ count: 2 });
  });

  it('shows a JSON-RPC error with code and message, and a refused call with the engine message', async () => {
    const { wrapper, bridge } = await mountTab([pingTool], {
      error: { code: -32602, message: 'Unknown tool: ping' },
    });
    await wrapper.find('[data-testid="tool-open-ping"]').trigger('click');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const alert = wrapper.find('[data-testid="tool-result"] [role="alert"]');
    expect(alert.text()).toContain('JSON-RPC error -32602');
    expect(alert.text()).toContain('Unknown tool: ping');

    bridge.refuse('startToolCall', 503, 'server "notes" is not running');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="tool-call-error"]').text()).toBe('server "notes" is not running');
  });

  it('takes the result away as soon as the arguments change, so it never sits beside a new problem', async () => {
    const { wrapper } = await mountTab();
    await wrapper.find('[data-testid="tool-open-search"]').trigger('click');
    const query = wrapper.find('[data-testid="tool-tester"] input[type="text"]');
    await query.setValue('cats');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result"]').text()).toContain('found 2');

    // The same arguments again (e.g. seen as raw JSON): the result stays.
    await wrapper.find('[data-testid="tool-raw-toggle"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result"]').exists()).toBe(true);
    await wrapper.find('[data-testid="tool-raw-toggle"]').trigger('click');

    await wrapper.find('[data-testid="tool-tester"] input[type="text"]').setValue('dogs');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result"]').exists()).toBe(false);

    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result"]').exists()).toBe(true);
    // Now a required field emptied and Call: its error, and no answer to other arguments beside it.
    await wrapper.find('[data-testid="tool-tester"] input[type="text"]').setValue('');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="field-error"]').text()).toBe('query is required');
    expect(wrapper.find('[data-testid="tool-result"]').exists()).toBe(false);
  });

  it('marks an answer that arrives after the arguments changed as from the previous ones', async () => {
    const { wrapper, bridge } = await mountTab();
    bridge.backlog('followToolCall', () => []);
    await wrapper.find('[data-testid="tool-open-search"]').trigger('click');
    await wrapper.find('[data-testid="tool-tester"] input[type="text"]').setValue('cats');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await wrapper.find('[data-testid="tool-tester"] input[type="number"]').setValue('9');
    bridge.push('followToolCall', {
      seq: 1,
      kind: 'done',
      outcome: { result: { content: [{ type: 'text', text: 'late' }] } },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result"]').text()).toContain('late');
    expect(wrapper.find('[data-testid="tool-result-stale"]').text()).toContain('From the previous arguments');
    // Back to what was sent: it is the answer to these arguments again.
    await wrapper.find('[data-testid="tool-tester"] input[type="number"]').setValue('5');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-result-stale"]').exists()).toBe(false);
  });

  it('takes a refusal away too when the arguments change', async () => {
    const { wrapper, bridge } = await mountTab();
    bridge.refuse('startToolCall', 503, 'server "notes" is not running');
    await wrapper.find('[data-testid="tool-open-search"]').trigger('click');
    await wrapper.find('[data-testid="tool-tester"] input[type="text"]').setValue('cats');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-call-error"]').exists()).toBe(true);
    await wrapper.find('[data-testid="tool-tester"] textarea').setValue('x');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-call-error"]').exists()).toBe(false);
  });
});
