import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ToolCallItem } from '../../../../electron/shared/tool-call-events.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import ToolTester from './ToolTester.vue';

const slowTool = {
  name: 'slow',
  description: 'Takes a while',
  inputSchema: { type: 'object', properties: {} },
};

const elicitation: ToolCallItem = {
  seq: 1,
  kind: 'request',
  request: 'sb-notes-1',
  method: 'elicitation/create',
  params: {
    message: 'Who are you?',
    requestedSchema: {
      type: 'object',
      properties: { name: { type: 'string', title: 'Name' } },
      required: ['name'],
    },
  },
};
const sampling: ToolCallItem = {
  seq: 1,
  kind: 'request',
  request: 'sb-notes-2',
  method: 'sampling/createMessage',
  params: {
    systemPrompt: 'Be brief.',
    messages: [{ role: 'user', content: { type: 'text', text: 'say hi' } }],
  },
};

/** A tester whose call the engine has started; `events` are what it replays when the window follows. */
async function calling(...events: ToolCallItem[]) {
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [] }))
    .answer('startToolCall', () => ({ call: 'call-1' }))
    .answer('cancelToolCall', () => ({}))
    .answer('answerToolCall', () => ({}))
    .backlog('followToolCall', () => events);
  const mounted = await mountWithEngine(ToolTester, { bridge, props: { server: 'notes', tool: slowTool } });
  await mounted.wrapper.find('form').trigger('submit');
  await flushPromises();
  return mounted;
}

describe('ToolTester, a client of the server', () => {
  it('shows progress as it comes, and skips events a reconnecting stream repeats', async () => {
    const { wrapper, bridge } = await calling({
      seq: 1,
      kind: 'progress',
      progress: 2,
      total: 5,
      message: 'indexing',
    });
    const progress = wrapper.find('[data-testid="tool-progress"]');
    expect(progress.text()).toContain('2 of 5');
    expect(progress.text()).toContain('indexing');
    expect(progress.find('progress').attributes()).toMatchObject({ value: '2', max: '5' });

    bridge.push('followToolCall', { seq: 2, kind: 'progress', progress: 4, total: 5 });
    bridge.push('followToolCall', { seq: 1, kind: 'progress', progress: 2, total: 5 });
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-progress"]').text()).toContain('4 of 5');
  });

  it('cancels the call, and says it was cancelled', async () => {
    const { wrapper, bridge } = await calling();
    await wrapper.find('[data-testid="tool-cancel"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('cancelToolCall')).toEqual([{ call: 'call-1' }]);
    bridge.push('followToolCall', {
      seq: 1,
      kind: 'done',
      outcome: { cancelled: 'cancelled in the window' },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-cancelled"]').text()).toBe('Cancelled: cancelled in the window');
    expect(wrapper.find('[data-testid="tool-cancel"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="tool-result"]').exists()).toBe(false);
  });

  it("answers the server's elicitation with the form the server asked for", async () => {
    const { wrapper, bridge } = await calling(elicitation);
    const question = wrapper.find('[data-testid="server-question"]');
    expect(question.attributes('role')).toBe('alertdialog');
    expect(question.text()).toContain('notes asks you');
    expect(question.text()).toContain('Who are you?');

    // Required field empty: nothing is sent.
    await question.find('[data-testid="question-accept"]').trigger('click');
    expect(bridge.callsOf('answerToolCall')).toEqual([]);

    await question.find('input[type="text"]').setValue('Ada');
    await question.find('[data-testid="question-accept"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('answerToolCall')).toEqual([
      { call: 'call-1', request: 'sb-notes-1', result: { action: 'accept', content: { name: 'Ada' } } },
    ]);
    expect(wrapper.find('[data-testid="server-question"]').exists()).toBe(false);
  });

  it('declines an elicitation, and declines sampling with the error the spec names', async () => {
    const first = await calling(elicitation);
    await first.wrapper.find('[data-testid="question-decline"]').trigger('click');
    await flushPromises();
    expect(first.bridge.callsOf('answerToolCall')).toEqual([
      { call: 'call-1', request: 'sb-notes-1', result: { action: 'decline' } },
    ]);

    const second = await calling(sampling);
    await second.wrapper.find('[data-testid="question-decline"]').trigger('click');
    await flushPromises();
    expect(second.bridge.callsOf('answerToolCall')).toEqual([
      {
        call: 'call-1',
        request: 'sb-notes-2',
        error: { code: -1, message: 'User rejected sampling request' },
      },
    ]);
  });

  it('answers sampling with the reply the person writes, and asks for one when it is empty', async () => {
    const { wrapper, bridge } = await calling(sampling);
    const question = wrapper.find('[data-testid="server-question"]');
    expect(question.text()).toContain('System: Be brief.');
    expect(question.find('[data-testid="question-messages"]').text()).toBe('user: say hi');
    await question.find('[data-testid="question-accept"]').trigger('click');
    expect(question.find('[role="alert"]').text()).toContain('Write the reply');
    expect(bridge.callsOf('answerToolCall')).toEqual([]);

    await question.find('[data-testid="question-reply"]').setValue('hi!');
    await question.find('[data-testid="question-accept"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('answerToolCall')).toEqual([
      {
        call: 'call-1',
        request: 'sb-notes-2',
        result: expect.objectContaining({ role: 'assistant', content: { type: 'text', text: 'hi!' } }),
      },
    ]);
  });

  it('takes a question away when the server withdraws it', async () => {
    const { wrapper, bridge } = await calling(elicitation);
    expect(wrapper.find('[data-testid="server-question"]').exists()).toBe(true);
    bridge.push('followToolCall', { seq: 2, kind: 'request-withdrawn', request: 'sb-notes-1' });
    await flushPromises();
    expect(wrapper.find('[data-testid="server-question"]').exists()).toBe(false);
  });

  it('shows a URL elicitation as a web link only', async () => {
    const url = (href: string): ToolCallItem => ({
      seq: 1,
      kind: 'request',
      request: 'sb-notes-3',
      method: 'elicitation/create',
      params: { mode: 'url', message: 'Sign in', url: href, elicitationId: 'e1' },
    });
    const web = await calling(url('https://example.com/authorize'));
    expect(web.wrapper.find('[data-testid="question-link"]').attributes('href')).toBe(
      'https://example.com/authorize',
    );
    const file = await calling(url('file:///etc/passwd'));
    expect(file.wrapper.find('[data-testid="question-link"]').exists()).toBe(false);
    expect(file.wrapper.text()).toContain('not a web address');
  });

  it('cancels its call when the tester goes away mid-call', async () => {
    const { wrapper, bridge } = await calling();
    wrapper.unmount();
    await flushPromises();
    expect(bridge.callsOf('cancelToolCall')).toEqual([{ call: 'call-1' }]);
    expect(bridge.openStreams('followToolCall')).toEqual([]);
  });
});
