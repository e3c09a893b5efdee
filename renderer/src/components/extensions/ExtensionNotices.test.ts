import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ExtensionNoticeEvent } from '../../../../electron/shared/events.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import ExtensionNotices from './ExtensionNotices.vue';

const notice = (extension: string, message: string, at = 1): ExtensionNoticeEvent => ({
  type: 'extension.notice',
  extension,
  message,
  at,
});

async function mountNotices(named = true) {
  const bridge = new FakeBridge().answer('listServers', () => ({ servers: [] }));
  if (named) {
    bridge.answer('listExtensions', () => ({
      extensions: [{ id: 'rate-limits', name: 'Rate limits', version: '1.0.0', enabled: true }],
    }));
  }
  return mountWithEngine(ExtensionNotices, { bridge });
}

const shown = (wrapper: Awaited<ReturnType<typeof mountNotices>>['wrapper']) =>
  wrapper.findAll('[data-testid="extension-notice"]').map((n) => n.find('.text').text().replace(/\s+/g, ' '));

describe('ExtensionNotices', () => {
  it('shows nothing until an extension says something', async () => {
    const { wrapper, bridge } = await mountNotices();
    expect(wrapper.findAll('[data-testid="extension-notice"]')).toHaveLength(0);
    expect(wrapper.find('[data-testid="extension-notices"]').attributes('role')).toBe('status');
    bridge.push('events', { type: 'server.removed', server: 'a', at: 1 });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="extension-notice"]')).toHaveLength(0);
    expect(bridge.callsOf('listExtensions')).toEqual([]);
  });

  it('names the extension and gives its message, newest first', async () => {
    const { wrapper, bridge } = await mountNotices();
    bridge.push('events', notice('rate-limits', 'notes is over 60 calls a minute; calls wait'));
    bridge.push('events', notice('acme', 'disabled after 5 failures in a row'));
    await flushPromises();
    expect(shown(wrapper).map((t) => t.replace(/ \(.*\)$/, ''))).toEqual([
      'acme: disabled after 5 failures in a row',
      'Rate limits: notes is over 60 calls a minute; calls wait',
    ]);
    expect(bridge.callsOf('listExtensions')).toHaveLength(1);
    expect(wrapper.find('a[href="#/extensions"]').exists()).toBe(true);
  });

  it('falls back to the id when the names cannot be read', async () => {
    const { wrapper, bridge } = await mountNotices(false);
    bridge.push('events', notice('rate-limits', 'circuit open'));
    await flushPromises();
    expect(shown(wrapper)[0]).toMatch(/^rate-limits: circuit open/);
  });

  it('counts a repeated message instead of stacking it, and keeps at most five', async () => {
    const { wrapper, bridge } = await mountNotices();
    bridge.push('events', notice('rate-limits', 'circuit open', 1));
    bridge.push('events', notice('rate-limits', 'circuit open', 2));
    await flushPromises();
    expect(shown(wrapper)).toHaveLength(1);
    expect(shown(wrapper)[0]).toContain('2 times');
    for (let i = 0; i < 7; i += 1) bridge.push('events', notice('x', `message ${i}`));
    await flushPromises();
    expect(shown(wrapper)).toHaveLength(5);
    expect(shown(wrapper)[0]).toMatch(/^x: message 6/);
  });

  it('dismisses one notice with a labelled button', async () => {
    const { wrapper, bridge } = await mountNotices();
    bridge.push('events', notice('rate-limits', 'first'));
    bridge.push('events', notice('acme', 'second'));
    await flushPromises();
    const buttons = wrapper.findAll('[data-testid="dismiss-notice"]');
    expect(buttons.map((b) => b.attributes('aria-label'))).toEqual([
      'Dismiss the notice from acme',
      'Dismiss the notice from Rate limits',
    ]);
    await buttons[0]!.trigger('click');
    expect(shown(wrapper)).toHaveLength(1);
    expect(shown(wrapper)[0]).toMatch(/^Rate limits: first/);
  });
});
