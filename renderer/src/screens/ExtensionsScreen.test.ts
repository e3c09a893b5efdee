import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ExtensionDto } from '../../../electron/shared/api.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import ExtensionsScreen from './ExtensionsScreen.vue';

const rateLimits: ExtensionDto = {
  id: 'rate-limits',
  name: 'Rate limits',
  version: '1.2.0',
  description: 'Caps calls per minute',
  enabled: true,
  configSchema: {
    type: 'object',
    properties: {
      perMinute: { type: 'integer', title: 'Calls per minute' },
      servers: { type: 'array', items: { type: 'string' } },
    },
    required: ['perMinute'],
  },
  config: { perMinute: 60 },
  hookP50Ms: 0.4,
  hookP99Ms: 12.3,
};

async function mountScreen(extensions: ExtensionDto[], bridge = new FakeBridge()) {
  let list = extensions;
  bridge
    .answer('listServers', () => ({ servers: [] }))
    .answer('listExtensions', () => ({ extensions: list }));
  const mounted = await mountWithEngine(ExtensionsScreen, { bridge, route: { screen: 'extensions' } });
  return { ...mounted, setList: (next: ExtensionDto[]) => (list = next) };
}

const applied = {
  type: 'config.applied' as const,
  file: 'c.json',
  added: [],
  removed: [],
  changed: [],
  at: 1,
};

describe('ExtensionsScreen', () => {
  it('explains that no extensions are installed yet', async () => {
    const { wrapper, bridge } = await mountScreen([]);
    expect(bridge.callsOf('listExtensions')).toEqual([{}]);
    expect(wrapper.find('[data-testid="extensions-empty"]').text()).toContain(
      'No extensions are installed yet. Built-in extensions (large responses, request log, rate limits, tool filter, …) will appear here.',
    );
  });

  it('shows a card with name, version, description, switch, hook timings and no problem line', async () => {
    const { wrapper } = await mountScreen([rateLimits]);
    const card = wrapper.find('[data-testid="extension-rate-limits"]');
    expect(card.find('h2').text()).toBe('Rate limits');
    expect(card.text()).toContain('v1.2.0');
    expect(card.text()).toContain('Caps calls per minute');
    expect(card.text()).toContain('p50 0.4 ms');
    expect(card.text()).toContain('p99 12 ms');
    const toggle = card.find('input[role="switch"]');
    expect((toggle.element as HTMLInputElement).checked).toBe(true);
    expect(card.find(`label[for="${toggle.attributes('id')}"]`).text()).toBe('Enable Rate limits');
    expect(card.find('[data-testid="extension-problem"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="extensions-empty"]').exists()).toBe(false);
  });

  it('shows the problem of an extension that is not working', async () => {
    const { wrapper } = await mountScreen([{ ...rateLimits, problem: 'config file is unreadable' }]);
    const problem = wrapper.find('[data-testid="extension-problem"]');
    expect(problem.attributes('role')).toBe('alert');
    expect(problem.text()).toContain('config file is unreadable');
  });

  it('switches an extension off through setExtensionEnabled', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits]);
    bridge.answer('setExtensionEnabled', ({ enabled }) => ({ ...rateLimits, enabled }));
    const toggle = wrapper.find('input[role="switch"]');
    await toggle.setValue(false);
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toEqual([{ extension: 'rate-limits', enabled: false }]);
    expect((toggle.element as HTMLInputElement).checked).toBe(false);
    expect(wrapper.find('[data-testid="extension-rate-limits"]').text()).toContain('(off)');
  });

  it('puts the switch back and shows the engine message when it is refused', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits]);
    bridge.refuse('setExtensionEnabled', 409, 'rate-limits cannot be turned off while in use');
    const toggle = wrapper.find('input[role="switch"]');
    await toggle.setValue(false);
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toHaveLength(1);
    expect((toggle.element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.find('[role="alert"]').text()).toBe('rate-limits cannot be turned off while in use');
  });

  it('saves the config form with coerced values and says so', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits]);
    bridge.answer('setExtensionConfig', ({ config }) => ({ ...rateLimits, config }));
    const perMinute = wrapper.find('#ext-rate-limits-config-perMinute');
    expect((perMinute.element as HTMLInputElement).value).toBe('60');
    expect(wrapper.find('label[for="ext-rate-limits-config-perMinute"]').text()).toBe(
      'Calls per minute (required)',
    );
    await perMinute.setValue('30');
    await wrapper.find('#ext-rate-limits-config-servers').setValue('notes\nweb');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setExtensionConfig')).toEqual([
      { extension: 'rate-limits', config: { perMinute: 30, servers: ['notes', 'web'] } },
    ]);
    expect(wrapper.find('[role="status"]').text()).toBe('Saved');
  });

  it('does not save an invalid form, and shows the engine refusal with its problems at the field', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits]);
    bridge.refuse('setExtensionConfig', 400, 'invalid config', [
      { path: 'perMinute', message: 'must be at most 1000' },
    ]);
    const perMinute = wrapper.find('#ext-rate-limits-config-perMinute');
    await perMinute.setValue('many');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setExtensionConfig')).toEqual([]);
    expect(wrapper.find('#ext-rate-limits-config-perMinute-error').text()).toBe('perMinute must be a number');

    await perMinute.setValue('5000');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setExtensionConfig')).toHaveLength(1);
    const alert = wrapper.find('form [role="alert"]');
    expect(alert.text()).toContain('invalid config');
    expect(alert.text()).toContain('perMinute: must be at most 1000');
    expect(wrapper.find('#ext-rate-limits-config-perMinute-error').text()).toBe('must be at most 1000');
    expect(wrapper.find('[role="status"]').text()).toBe('');
  });

  it('refreshes after config.applied, keeping what is being typed', async () => {
    const { wrapper, bridge, setList } = await mountScreen([]);
    setList([rateLimits]);
    bridge.push('events', applied);
    await flushPromises();
    expect(bridge.callsOf('listExtensions')).toHaveLength(2);
    expect(wrapper.find('[data-testid="extension-rate-limits"]').exists()).toBe(true);

    setList([{ ...rateLimits, config: { perMinute: 90 } }]);
    bridge.push('events', applied);
    await flushPromises();
    const perMinute = wrapper.find('#ext-rate-limits-config-perMinute');
    expect((perMinute.element as HTMLInputElement).value).toBe('90');

    await perMinute.setValue('7');
    setList([{ ...rateLimits, config: { perMinute: 120 } }]);
    bridge.push('events', applied);
    await flushPromises();
    expect((perMinute.element as HTMLInputElement).value).toBe('7');

    bridge.push('events', { type: 'server.removed', server: 'x', at: 2 });
    await flushPromises();
    expect(bridge.callsOf('listExtensions')).toHaveLength(4);
  });
});
