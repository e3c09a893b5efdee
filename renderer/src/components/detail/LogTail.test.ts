import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import LogTail from './LogTail.vue';

async function mountTail(server = 'notes') {
  const bridge = new FakeBridge().answer('listServers', () => ({ servers: [] }));
  const mounted = await mountWithEngine(LogTail, { bridge, props: { server } });
  return mounted;
}

const shownLines = (w: Awaited<ReturnType<typeof mountTail>>['wrapper']) =>
  w.findAll('[data-testid="log-line"]').map((l) => l.text());

afterEach(() => vi.restoreAllMocks());

describe('LogTail', () => {
  it('follows the log with a 200-line backlog and shows pushed lines', async () => {
    const { wrapper, bridge } = await mountTail();
    expect(bridge.openStreams('followLogs')).toEqual([{ server: 'notes', lines: 200 }]);
    bridge.push('followLogs', 'backlog one');
    bridge.push('followLogs', 'backlog two');
    await flushPromises();
    bridge.push('followLogs', 'fresh line');
    await flushPromises();
    expect(shownLines(wrapper)).toEqual(['backlog one', 'backlog two', 'fresh line']);
  });

  it('shows each line’s time apart from its text, marks a new process run, and copies lines whole', async () => {
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const { wrapper, bridge } = await mountTail();
    bridge.push('followLogs', '2026-12-06T13:20:14.123Z ──── process 4242 started ────');
    bridge.push('followLogs', '2026-12-06T13:20:15.000Z listening on stdio');
    await flushPromises();
    expect(shownLines(wrapper)).toEqual(['──── process 4242 started ────', 'listening on stdio']);
    const times = wrapper.findAll('time');
    expect(times.map((t) => t.attributes('datetime'))).toEqual([
      '2026-12-06T13:20:14.123Z',
      '2026-12-06T13:20:15.000Z',
    ]);
    expect(times[1]!.text()).toBe(new Date('2026-12-06T13:20:15.000Z').toLocaleTimeString());
    expect(wrapper.findAll('li')[0]!.classes()).toContain('mark');
    await wrapper.get('[data-testid="log-copy"]').trigger('click');
    expect(write).toHaveBeenCalledWith(
      '2026-12-06T13:20:14.123Z ──── process 4242 started ────\n2026-12-06T13:20:15.000Z listening on stdio',
    );
  });

  it('keeps at most 2000 lines, dropping the oldest', async () => {
    const { wrapper, bridge } = await mountTail();
    for (let i = 0; i < 2005; i++) bridge.push('followLogs', `line ${i}`);
    await flushPromises();
    const lines = shownLines(wrapper);
    expect(lines).toHaveLength(2000);
    expect(lines[0]).toBe('line 5');
    expect(lines.at(-1)).toBe('line 2004');
  });

  it('filters the shown lines by the search, ignoring case', async () => {
    const { wrapper, bridge } = await mountTail();
    for (const l of ['Listening on stdio', 'ERROR: db locked', 'request ok', 'error again']) {
      bridge.push('followLogs', l);
    }
    await flushPromises();
    expect(wrapper.get('label[for="log-search"]').text()).toBe('Search log');
    await wrapper.get('[data-testid="log-search"]').setValue('error');
    expect(shownLines(wrapper)).toEqual(['ERROR: db locked', 'error again']);
    await wrapper.get('[data-testid="log-search"]').setValue('');
    expect(shownLines(wrapper)).toHaveLength(4);
  });

  it('holds new lines while paused, counts them, and shows them on resume', async () => {
    const { wrapper, bridge } = await mountTail();
    bridge.push('followLogs', 'before');
    await flushPromises();
    const pause = wrapper.get('[data-testid="log-pause"]');
    expect(pause.attributes('aria-pressed')).toBe('false');
    await pause.trigger('click');
    expect(pause.attributes('aria-pressed')).toBe('true');
    expect(pause.text()).toBe('Resume');

    bridge.push('followLogs', 'during 1');
    bridge.push('followLogs', 'during 2');
    await flushPromises();
    expect(shownLines(wrapper)).toEqual(['before']);
    expect(wrapper.get('[data-testid="log-status"]').text()).toContain('2 new lines');

    await pause.trigger('click');
    expect(shownLines(wrapper)).toEqual(['before', 'during 1', 'during 2']);
    expect(wrapper.get('[data-testid="log-status"]').text()).not.toContain('new lines');
    expect(pause.attributes('aria-pressed')).toBe('false');
  });

  it('copies the shown lines to the clipboard and says so', async () => {
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const { wrapper, bridge } = await mountTail();
    for (const l of ['alpha', 'beta', 'alphabet']) bridge.push('followLogs', l);
    await flushPromises();
    await wrapper.get('[data-testid="log-search"]').setValue('alpha');
    await wrapper.get('[data-testid="log-copy"]').trigger('click');
    await flushPromises();
    expect(write).toHaveBeenCalledWith('alpha\nalphabet');
    expect(wrapper.get('[data-testid="log-status"]').text()).toContain('Copied');
  });

  it('says why copying failed', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('permission denied'));
    const { wrapper } = await mountTail();
    await wrapper.get('[data-testid="log-copy"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="log-status"]').text()).toContain('permission denied');
  });

  it('follows another server when the prop changes, and stops following on unmount', async () => {
    const { wrapper, bridge } = await mountTail('notes');
    bridge.push('followLogs', 'from notes');
    await flushPromises();
    await wrapper.setProps({ server: 'files' });
    expect(bridge.openStreams('followLogs')).toEqual([{ server: 'files', lines: 200 }]);
    expect(shownLines(wrapper)).toEqual([]);
    wrapper.unmount();
    expect(bridge.openStreams('followLogs')).toEqual([]);
  });

  it('starts over when the stream comes back, since the engine sends the backlog again', async () => {
    const { wrapper, bridge } = await mountTail();
    bridge.push('followLogs', 'old');
    bridge.setStatus('followLogs', 'lost');
    await flushPromises();
    expect(wrapper.text()).toContain('interrupted');
    bridge.setStatus('followLogs', 'open');
    bridge.push('followLogs', 'old');
    await flushPromises();
    expect(shownLines(wrapper)).toEqual(['old']);
  });
});
