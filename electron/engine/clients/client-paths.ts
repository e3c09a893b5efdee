import path from 'node:path';
import type { ClientId } from '../../shared/clients.js';

/** What a client's config file location depends on. */
export interface ClientPathInputs {
  platform: NodeJS.Platform;
  homedir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The project folder, for project-scoped files. */
  project: string;
}

/** Where each client keeps its MCP servers, per platform (as the clients document them). */
export function clientConfigPath(id: ClientId, inputs: ClientPathInputs): string {
  const { platform, homedir, env, project } = inputs;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const appData = () =>
    platform === 'win32'
      ? env.APPDATA || p.join(homedir, 'AppData', 'Roaming')
      : platform === 'darwin'
        ? p.join(homedir, 'Library', 'Application Support')
        : env.XDG_CONFIG_HOME || p.join(homedir, '.config');
  const vscodeUser = () => p.join(appData(), 'Code', 'User');
  switch (id) {
    case 'claude-desktop':
      return p.join(appData(), 'Claude', 'claude_desktop_config.json');
    case 'claude-code':
      return p.join(env.CLAUDE_CONFIG_DIR || homedir, '.claude.json');
    case 'claude-code-project':
      return p.join(project, '.mcp.json');
    case 'cursor':
      return p.join(homedir, '.cursor', 'mcp.json');
    case 'cursor-project':
      return p.join(project, '.cursor', 'mcp.json');
    case 'vscode':
      return p.join(vscodeUser(), 'mcp.json');
    case 'vscode-workspace':
      return p.join(project, '.vscode', 'mcp.json');
    case 'windsurf':
      return p.join(homedir, '.codeium', 'windsurf', 'mcp_config.json');
    case 'cline':
      return p.join(
        vscodeUser(),
        'globalStorage',
        'saoudrizwan.claude-dev',
        'settings',
        'cline_mcp_settings.json',
      );
    case 'gemini':
      return p.join(homedir, '.gemini', 'settings.json');
    case 'gemini-project':
      return p.join(project, '.gemini', 'settings.json');
    case 'codex':
      return p.join(env.CODEX_HOME || p.join(homedir, '.codex'), 'config.toml');
  }
}
