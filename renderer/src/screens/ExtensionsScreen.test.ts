import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ExtensionDto } from '../../../electron/shared/api.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import { serverSnapshot } from '../testing/server-snapshot.js';
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

async function mountScreen(extensions: ExtensionDto[], bridge = new FakeBridge(), servers: string[] = []) {
  let list = extensions;
  bridge
    .answer('listServers', () => ({ servers: servers.map((name) => serverSnapshot(name)) }))
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

describe('switching quarantine on', () => {
  const quarantine: ExtensionDto = {
    id: 'quarantine',
    name: 'Tool quarantine',
    version: '1.0.0',
    enabled: false,
  };
  async function mountQuarantine() {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({
        servers: [serverSnapshot('notes', { tools: 3 }), serverSnapshot('files', { tools: 2 })],
      }))
      .answer('listExtensions', () => ({ extensions: [quarantine] }))
      .answer('setExtensionEnabled', ({ enabled }) => ({ ...quarantine, enabled }))
      .answer('listQuarantine', () => ({
        enabled: true,
        tools: [
          {
            server: 'notes',
            tool: 'a',
            reason: 'new' as const,
            since: 1,
            current: { description: '', hash: 'x' },
          },
          {
            server: 'notes',
            tool: 'b',
            reason: 'changed' as const,
            since: 1,
            current: { description: '', hash: 'y' },
          },
          {
            server: 'files',
            tool: 'c',
            reason: 'new' as const,
            since: 1,
            current: { description: '', hash: 'z' },
          },
        ],
      }))
      .answer('approveTools', ({ tools }) => ({ approved: tools ?? [], tools: [] }));
    const mounted = await mountWithEngine(ExtensionsScreen, { bridge, route: { screen: 'extensions' } });
    await flushPromises();
    return { ...mounted, bridge };
  }

  it('says how many tools it would hold and switches on only once the person chooses', async () => {
    const { wrapper, bridge } = await mountQuarantine();
    await wrapper.get('[role="switch"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toEqual([]);
    expect(wrapper.get('[role="switch"]').attributes('aria-checked')).toBe('false');
    expect(wrapper.get('[data-testid="quarantine-confirm"]').text()).toContain('the 5 tools of 2 servers');
    await wrapper.get('[data-testid="quarantine-cancel"]').trigger('click');
    expect(wrapper.find('[data-testid="quarantine-confirm"]').exists()).toBe(false);
    expect(bridge.callsOf('setExtensionEnabled')).toEqual([]);
  });

  it("trusts today's new tools when asked, and leaves a changed one held", async () => {
    const { wrapper, bridge } = await mountQuarantine();
    await wrapper.get('[role="switch"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="quarantine-trust"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toEqual([{ extension: 'quarantine', enabled: true }]);
    expect(bridge.callsOf('approveTools')).toEqual([
      { server: 'notes', tools: ['a'] },
      { server: 'files', tools: ['c'] },
    ]);
  });
});

describe('ExtensionsScreen', () => {
  it('explains where extensions come from when there are none', async () => {
    const { wrapper, bridge } = await mountScreen([]);
    expect(bridge.callsOf('listExtensions')).toEqual([{}]);
    const empty = wrapper.find('[data-testid="extensions-empty"]').text();
    expect(empty).toContain('No extensions were found.');
    expect(empty).toContain('the engine log says why');
  });

  it('shows a compact card: name, version, what it does, its settings in words, hook timings, a switch', async () => {
    const { wrapper } = await mountScreen([rateLimits]);
    const card = wrapper.find('[data-testid="extension-rate-limits"]');
    expect(card.find('h2').text()).toBe('Rate limits');
    expect(card.text()).toContain('v1.2.0');
    expect(card.text()).toContain('Caps calls per minute');
    expect(card.find('[data-testid="extension-summary"]').text()).toBe('All servers');
    expect(card.text()).toContain('p50 0.4 ms');
    expect(card.text()).toContain('p99 12 ms');
    expect(card.text()).toContain('(on)');
    const toggle = card.find('[role="switch"]');
    expect(toggle.element.tagName).toBe('BUTTON');
    expect(toggle.attributes('aria-checked')).toBe('true');
    expect(toggle.attributes('aria-label')).toBe('Enable Rate limits');
    expect(card.find('[data-testid="extension-problem"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="extensions-empty"]').exists()).toBe(false);
  });

  it('says the settings in force in words, defaults filled in', async () => {
    const limiter: ExtensionDto = {
      ...rateLimits,
      id: 'rate-limiter',
      configSchema: {
        type: 'object',
        properties: {
          requestsPerMinute: { type: 'number', default: 60 },
          burst: { type: 'integer', default: 20 },
          perTool: { type: 'object', default: {} },
        },
      },
      config: { perTool: { echo__echo: 30 } },
      servers: ['notes'],
    };
    const { wrapper } = await mountScreen([limiter]);
    expect(wrapper.find('[data-testid="extension-summary"]').text()).toBe(
      '60 calls/min, burst 20, 1 tool at its own rate · only notes',
    );
  });

  it('keeps the settings behind Configure, a disclosure button', async () => {
    const { wrapper } = await mountScreen([rateLimits]);
    const card = wrapper.find('[data-testid="extension-rate-limits"]');
    const configure = card.find('[data-testid="configure-rate-limits"]');
    expect(configure.attributes('aria-expanded')).toBe('false');
    const panel = card.find(`#${configure.attributes('aria-controls')}`);
    expect(panel.attributes('style')).toContain('display: none');
    expect(panel.find('#ext-rate-limits-config-perMinute').exists()).toBe(true);
    await configure.trigger('click');
    expect(configure.attributes('aria-expanded')).toBe('true');
    expect(panel.attributes('style') ?? '').not.toContain('display: none');
    expect(panel.find('h3').text()).toBe('Settings');
    expect(panel.find('[data-testid="scope-rate-limits"]').exists()).toBe(true);
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
    const toggle = wrapper.find('[role="switch"]');
    await toggle.trigger('click');
    // It shows what was asked while the engine switches it.
    expect(toggle.attributes('aria-checked')).toBe('false');
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toEqual([{ extension: 'rate-limits', enabled: false }]);
    expect(toggle.attributes('aria-checked')).toBe('false');
    expect(wrapper.find('[data-testid="extension-rate-limits"]').text()).toContain('(off)');
  });

  it('puts the switch back and shows the engine message when it is refused', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits]);
    bridge.refuse('setExtensionEnabled', 409, 'rate-limits cannot be turned off while in use');
    const toggle = wrapper.find('[role="switch"]');
    await toggle.trigger('click');
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toHaveLength(1);
    expect(toggle.attributes('aria-checked')).toBe('true');
    const alert = wrapper.find('[role="alert"]');
    expect(alert.text()).toBe('rate-limits cannot be turned off while in use');
    expect(toggle.attributes('aria-describedby')).toBe(alert.attributes('id'));
  });

  it('saves the config form with coerced values and says so', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits]);
    bridge.answer('setExtensionConfig', ({ config }) => ({ ...rateLimits, config }));
    await wrapper.find('[data-testid="configure-rate-limits"]').trigger('click');
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
    await wrapper.find('[data-testid="configure-rate-limits"]').trigger('click');
    const perMinute = wrapper.find('#ext-rate-limits-config-perMinute');
    await perMinute.setValue('');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setExtensionConfig')).toEqual([]);
    expect(wrapper.find('#ext-rate-limits-config-perMinute-error').text()).not.toBe('');

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

  it('shows how often its hooks ran and failed', async () => {
    const { wrapper } = await mountScreen([{ ...rateLimits, hookCalls: 12345, hookFailures: 0 }]);
    const figures = wrapper.find('[data-testid="extension-hook-calls"]');
    expect(figures.text()).toBe('12,345 calls, 0 failures');
    expect(figures.classes()).toContain('muted');

    const failing = await mountScreen([{ ...rateLimits, hookCalls: 1, hookFailures: 1 }]);
    const bad = failing.wrapper.find('[data-testid="extension-hook-calls"]');
    expect(bad.text()).toBe('1 call, 1 failure (threw or timed out)');
    expect(bad.classes()).toContain('error-text');

    const unmeasured = await mountScreen([rateLimits]);
    expect(unmeasured.wrapper.find('[data-testid="extension-hook-calls"]').exists()).toBe(false);
  });

  it('marks a third-party extension and says it runs only once switched on', async () => {
    const thirdParty: ExtensionDto = { ...rateLimits, id: 'acme', name: 'Acme', source: 'third-party' };
    const { wrapper } = await mountScreen([{ ...rateLimits, source: 'builtin' }, thirdParty]);
    const acme = wrapper.find('[data-testid="extension-acme"]');
    expect(acme.find('[data-testid="third-party-badge"]').text()).toBe('third-party');
    expect(acme.find('[data-testid="third-party-note"]').text()).toContain('runs only once you switch it on');
    const builtin = wrapper.find('[data-testid="extension-rate-limits"]');
    expect(builtin.find('[data-testid="third-party-badge"]').exists()).toBe(false);
    expect(builtin.find('[data-testid="third-party-note"]').exists()).toBe(false);
  });

  it('limits an extension to some servers, and applies it to all again', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits], new FakeBridge(), ['web', 'notes']);
    await wrapper.find('[data-testid="configure-rate-limits"]').trigger('click');
    bridge.answer('setExtensionServers', ({ servers }) => ({
      ...rateLimits,
      ...(servers ? { servers } : {}),
    }));
    const scope = wrapper.find('[data-testid="scope-rate-limits"]');
    const all = scope.find('#ext-rate-limits-scope-all');
    expect((all.element as HTMLInputElement).checked).toBe(true);
    expect(scope.find('label[for="ext-rate-limits-scope-all"]').text()).toBe('All servers');
    expect(scope.find('legend').text()).toBe('Servers it applies to');
    expect(scope.findAll('input[type="checkbox"]')).toHaveLength(0);
    expect(scope.find('button[type="submit"]').attributes('disabled')).toBeDefined();

    await scope.find('#ext-rate-limits-scope-some').setValue(true);
    const boxes = scope.findAll('input[type="checkbox"]');
    expect(boxes.map((b) => scope.find(`label[for="${b.attributes('id')}"]`).text())).toEqual([
      'notes',
      'web',
    ]);
    expect(scope.text()).toContain('Tick at least one server, or choose All servers.');
    expect(scope.find('button[type="submit"]').attributes('disabled')).toBeDefined();

    await boxes[1]!.setValue(true);
    await scope.trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setExtensionServers')).toEqual([{ extension: 'rate-limits', servers: ['web'] }]);
    expect(scope.find('[role="status"]').text()).toBe('Saved');
    expect((scope.find('#ext-rate-limits-scope-some').element as HTMLInputElement).checked).toBe(true);

    await scope.find('#ext-rate-limits-scope-all').setValue(true);
    await scope.trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setExtensionServers')).toEqual([
      { extension: 'rate-limits', servers: ['web'] },
      { extension: 'rate-limits', servers: null },
    ]);
  });

  it('keeps a server the extension is limited to after it left the config, so it can be unticked', async () => {
    const { wrapper } = await mountScreen([{ ...rateLimits, servers: ['gone'] }], new FakeBridge(), ['web']);
    const scope = wrapper.find('[data-testid="scope-rate-limits"]');
    expect((scope.find('#ext-rate-limits-scope-some').element as HTMLInputElement).checked).toBe(true);
    const labels = scope.findAll('li label').map((l) => l.text());
    expect(labels).toEqual(['web', 'gone (not configured)']);
    const checked = scope
      .findAll('input[type="checkbox"]')
      .map((b) => (b.element as HTMLInputElement).checked);
    expect(checked).toEqual([false, true]);
  });

  it('shows a refused scope change', async () => {
    const { wrapper, bridge } = await mountScreen([rateLimits], new FakeBridge(), ['web']);
    bridge.refuse('setExtensionServers', 400, 'no server named "web"');
    const scope = wrapper.find('[data-testid="scope-rate-limits"]');
    await scope.find('#ext-rate-limits-scope-some').setValue(true);
    await scope.find('input[type="checkbox"]').setValue(true);
    await scope.trigger('submit');
    await flushPromises();
    expect(scope.find('[role="alert"]').text()).toBe('Could not change the servers: no server named "web"');
  });

  it('reads the extensions again on extension.changed', async () => {
    const { wrapper, bridge, setList } = await mountScreen([rateLimits]);
    setList([{ ...rateLimits, enabled: false, problem: 'disabled after 5 failures in a row' }]);
    bridge.push('events', {
      type: 'extension.changed',
      extension: 'rate-limits',
      enabled: false,
      problem: 'disabled after 5 failures in a row',
      at: 3,
    });
    await flushPromises();
    expect(bridge.callsOf('listExtensions')).toHaveLength(2);
    expect(wrapper.find('[data-testid="extension-problem"]').text()).toContain('disabled after 5 failures');
    expect(wrapper.find('[role="switch"]').attributes('aria-checked')).toBe('false');
    expect(wrapper.find('[data-testid="extension-rate-limits"]').text()).toContain('(off)');
  });
});
