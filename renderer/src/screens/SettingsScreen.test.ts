import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsDto } from '../../../electron/shared/api.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import SettingsScreen from './SettingsScreen.vue';

const initial: SettingsDto = { port: 7420, host: '127.0.0.1', launchAtLogin: false, theme: 'light' };

function settingsBridge() {
  let settings = { ...initial };
  return new FakeBridge()
    .answer('listServers', () => ({ servers: [] }))
    .answer('getSettings', () => settings)
    .answer('updateSettings', (change) => (settings = { ...settings, ...change }));
}

afterEach(() => {
  delete document.documentElement.dataset.theme;
});

describe('SettingsScreen', () => {
  it('shows the settings, the host read-only', async () => {
    const { wrapper } = await mountWithEngine(SettingsScreen, {
      bridge: settingsBridge(),
      route: { screen: 'settings' },
    });
    expect(wrapper.get<HTMLInputElement>('[data-testid="settings-port"]').element.value).toBe('7420');
    expect(wrapper.get<HTMLInputElement>('[data-testid="settings-launch"]').element.checked).toBe(false);
    expect(wrapper.get<HTMLInputElement>('[data-testid="theme-light"]').element.checked).toBe(true);
    expect(wrapper.get('[data-testid="settings-host"]').text()).toBe('127.0.0.1');
    expect(wrapper.find('input[value="127.0.0.1"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('applies the next time the engine starts');
    expect(wrapper.text()).toContain('Applies in the desktop app');
  });

  it('saves only what changed, and says so', async () => {
    const bridge = settingsBridge();
    const { wrapper } = await mountWithEngine(SettingsScreen, { bridge, route: { screen: 'settings' } });
    expect(wrapper.get<HTMLButtonElement>('[data-testid="settings-save"]').element.disabled).toBe(true);
    await wrapper.get('[data-testid="settings-port"]').setValue('7500');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('updateSettings')).toEqual([{ port: 7500 }]);
    const status = wrapper.get('[data-testid="settings-status"]');
    expect(status.attributes('aria-live')).toBe('polite');
    expect(status.text()).toBe('Saved');

    await wrapper.get('[data-testid="settings-launch"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('updateSettings').at(-1)).toEqual({ launchAtLogin: true });
  });

  it('takes "Saved" away as soon as the input changes, so a new problem never sits beside it', async () => {
    const { wrapper } = await mountWithEngine(SettingsScreen, {
      bridge: settingsBridge(),
      route: { screen: 'settings' },
    });
    const port = wrapper.get('[data-testid="settings-port"]');
    expect(port.attributes('type')).toBe('number');
    await port.setValue('7500');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="settings-status"]').text()).toBe('Saved');

    await port.setValue('70000');
    expect(wrapper.get('[data-testid="settings-status"]').text()).toBe('');
    // The problem is the port's own, right under it.
    const problem = wrapper.get('#settings-port-error');
    expect(problem.classes()).toContain('field-error');
    expect(problem.element.parentElement).toBe(port.element.parentElement);
    expect(port.attributes('aria-describedby')).toContain('settings-port-error');
  });

  it("shows the engine's message when it refuses", async () => {
    const bridge = settingsBridge().refuse('updateSettings', 500, 'could not write the config file: EROFS');
    const { wrapper } = await mountWithEngine(SettingsScreen, { bridge, route: { screen: 'settings' } });
    await wrapper.get('[data-testid="settings-launch"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="settings-status"]').text()).toBe(
      'could not write the config file: EROFS',
    );
  });

  it('refuses a port out of range before asking the engine', async () => {
    const bridge = settingsBridge();
    const { wrapper } = await mountWithEngine(SettingsScreen, { bridge, route: { screen: 'settings' } });
    const port = wrapper.get('[data-testid="settings-port"]');
    await port.setValue('70000');
    expect(port.attributes('aria-invalid')).toBe('true');
    expect(wrapper.text()).toContain('a whole number from 0 to 65535');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('updateSettings')).toEqual([]);
  });

  it('applies a theme at once and saves it', async () => {
    let answer: (settings: SettingsDto) => void = () => undefined;
    const bridge = settingsBridge().answer(
      'updateSettings',
      () => new Promise((resolve) => (answer = resolve)),
    );
    const { wrapper } = await mountWithEngine(SettingsScreen, { bridge, route: { screen: 'settings' } });
    await wrapper.get('[data-testid="theme-dark"]').setValue(true);
    await flushPromises();
    // Applied while the engine has not answered yet.
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(bridge.callsOf('updateSettings')).toEqual([{ theme: 'dark' }]);
    answer({ ...initial, theme: 'dark' });
    await flushPromises();
    expect(wrapper.get('[data-testid="theme-status"]').text()).toBe('Saved');
  });

  it('puts the theme back when the engine will not keep it', async () => {
    const bridge = settingsBridge().refuse('updateSettings', 500, 'config file is read-only');
    const { wrapper } = await mountWithEngine(SettingsScreen, { bridge, route: { screen: 'settings' } });
    await wrapper.get('[data-testid="theme-dark"]').setValue(true);
    await flushPromises();
    expect(wrapper.get('[data-testid="theme-status"]').text()).toBe('config file is read-only');
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(wrapper.get<HTMLInputElement>('[data-testid="theme-light"]').element.checked).toBe(true);
  });
});
