import { type VueWrapper } from '@vue/test-utils';
import { FakeBridge } from './fake-bridge.js';
import { FakeClients, type FakeClient } from './fake-clients.js';
import { mountWithEngine } from './mount-app.js';
import ClientsScreen from '../screens/ClientsScreen.vue';

/** The Clients screen's tests share these: a Claude Desktop with a credential and a clash, and three others. */
const TOKEN_HINT = 'WXYZ';

export function desktop(more: Partial<FakeClient> = {}): FakeClient {
  return {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    scope: 'user',
    file: '/home/me/.config/Claude/claude_desktop_config.json',
    exists: true,
    servers: [
      {
        name: 'github',
        secrets: [{ at: 'env.GITHUB_TOKEN', secret: 'GITHUB_TOKEN', hint: TOKEN_HINT }],
        notes: ['restart it once imported'],
      },
      { name: 'files' },
    ],
    bridges: ['search'],
    ...more,
  };
}

function defaultClients(): FakeClient[] {
  return [
    {
      id: 'windsurf',
      name: 'Windsurf',
      scope: 'user',
      file: '/home/me/.codeium/mcp.json',
      exists: false,
      servers: [],
      bridges: [],
    },
    desktop(),
    {
      id: 'cursor-project',
      name: 'Cursor (project)',
      scope: 'project',
      file: '.cursor/mcp.json',
      exists: true,
      servers: [{ name: 'db' }],
      bridges: [],
    },
    {
      id: 'vscode',
      name: 'VS Code',
      scope: 'user',
      file: '/home/me/.config/Code/User/mcp.json',
      exists: true,
      servers: [],
      bridges: [],
      problem: 'line 3: unexpected "}": fix the file, then look again',
    },
  ];
}

export async function mountScreen(fake = new FakeClients(defaultClients(), { github: 'different' })) {
  const bridge = fake.install(new FakeBridge());
  bridge.answer('listServers', () => ({ servers: [] }));
  const mounted = await mountWithEngine(ClientsScreen, {
    bridge,
    route: { screen: 'clients' },
    attachTo: document.body,
  });
  return { ...mounted, fake };
}

export const card = (wrapper: VueWrapper, id: string) => wrapper.get(`[data-testid="client-${id}"]`);
export const row = (wrapper: VueWrapper, name: string) => wrapper.get(`[data-testid="import-row-${name}"]`);
