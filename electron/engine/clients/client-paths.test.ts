import { describe, expect, it } from 'vitest';
import { CLIENT_IDS, type ClientId } from '../../shared/clients.js';
import { clientConfigPath, type ClientPathInputs } from './client-paths.js';

const linux: ClientPathInputs = { platform: 'linux', homedir: '/home/me', env: {}, project: '/work/proj' };
const darwin: ClientPathInputs = { platform: 'darwin', homedir: '/Users/me', env: {}, project: '/work/proj' };
const win32: ClientPathInputs = {
  platform: 'win32',
  homedir: 'C:\\Users\\me',
  env: { APPDATA: 'D:\\Roaming' },
  project: 'C:\\work\\proj',
};

const expected: Record<string, Record<ClientId, string>> = {
  linux: {
    'claude-desktop': '/home/me/.config/Claude/claude_desktop_config.json',
    'claude-code': '/home/me/.claude.json',
    'claude-code-project': '/work/proj/.mcp.json',
    cursor: '/home/me/.cursor/mcp.json',
    'cursor-project': '/work/proj/.cursor/mcp.json',
    vscode: '/home/me/.config/Code/User/mcp.json',
    'vscode-workspace': '/work/proj/.vscode/mcp.json',
    windsurf: '/home/me/.codeium/windsurf/mcp_config.json',
    cline: '/home/me/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    gemini: '/home/me/.gemini/settings.json',
    'gemini-project': '/work/proj/.gemini/settings.json',
    codex: '/home/me/.codex/config.toml',
  },
  darwin: {
    'claude-desktop': '/Users/me/Library/Application Support/Claude/claude_desktop_config.json',
    'claude-code': '/Users/me/.claude.json',
    'claude-code-project': '/work/proj/.mcp.json',
    cursor: '/Users/me/.cursor/mcp.json',
    'cursor-project': '/work/proj/.cursor/mcp.json',
    vscode: '/Users/me/Library/Application Support/Code/User/mcp.json',
    'vscode-workspace': '/work/proj/.vscode/mcp.json',
    windsurf: '/Users/me/.codeium/windsurf/mcp_config.json',
    cline:
      '/Users/me/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    gemini: '/Users/me/.gemini/settings.json',
    'gemini-project': '/work/proj/.gemini/settings.json',
    codex: '/Users/me/.codex/config.toml',
  },
  win32: {
    'claude-desktop': 'D:\\Roaming\\Claude\\claude_desktop_config.json',
    'claude-code': 'C:\\Users\\me\\.claude.json',
    'claude-code-project': 'C:\\work\\proj\\.mcp.json',
    cursor: 'C:\\Users\\me\\.cursor\\mcp.json',
    'cursor-project': 'C:\\work\\proj\\.cursor\\mcp.json',
    vscode: 'D:\\Roaming\\Code\\User\\mcp.json',
    'vscode-workspace': 'C:\\work\\proj\\.vscode\\mcp.json',
    windsurf: 'C:\\Users\\me\\.codeium\\windsurf\\mcp_config.json',
    cline:
      'D:\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
    gemini: 'C:\\Users\\me\\.gemini\\settings.json',
    'gemini-project': 'C:\\work\\proj\\.gemini\\settings.json',
    codex: 'C:\\Users\\me\\.codex\\config.toml',
  },
};

describe('clientConfigPath', () => {
  it('has an expectation for every client id', () => {
    for (const table of Object.values(expected))
      expect(Object.keys(table).sort()).toEqual([...CLIENT_IDS].sort());
  });

  for (const inputs of [linux, darwin, win32]) {
    it.each(CLIENT_IDS.map((id) => [id]))(`${inputs.platform}: %s`, (id) => {
      expect(clientConfigPath(id, inputs)).toBe(expected[inputs.platform]![id]);
    });
  }

  it('falls back to %USERPROFILE%\\AppData\\Roaming on win32 without APPDATA', () => {
    expect(clientConfigPath('claude-desktop', { ...win32, env: {} })).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
  });

  it('honours XDG_CONFIG_HOME on linux (not an empty one), and not on darwin', () => {
    const env = { XDG_CONFIG_HOME: '/xdg' };
    expect(clientConfigPath('vscode', { ...linux, env })).toBe('/xdg/Code/User/mcp.json');
    expect(clientConfigPath('claude-desktop', { ...linux, env })).toBe(
      '/xdg/Claude/claude_desktop_config.json',
    );
    expect(clientConfigPath('vscode', { ...linux, env: { XDG_CONFIG_HOME: '' } })).toBe(
      '/home/me/.config/Code/User/mcp.json',
    );
    expect(clientConfigPath('vscode', { ...darwin, env })).toBe(expected.darwin!.vscode);
  });

  it('honours CODEX_HOME and CLAUDE_CONFIG_DIR on every platform', () => {
    expect(clientConfigPath('codex', { ...linux, env: { CODEX_HOME: '/c' } })).toBe('/c/config.toml');
    expect(clientConfigPath('codex', { ...win32, env: { CODEX_HOME: 'E:\\codex' } })).toBe(
      'E:\\codex\\config.toml',
    );
    expect(clientConfigPath('claude-code', { ...darwin, env: { CLAUDE_CONFIG_DIR: '/cc' } })).toBe(
      '/cc/.claude.json',
    );
    expect(clientConfigPath('claude-code', { ...win32, env: { CLAUDE_CONFIG_DIR: 'E:\\cc' } })).toBe(
      'E:\\cc\\.claude.json',
    );
    expect(clientConfigPath('codex', { ...linux, env: { CODEX_HOME: '' } })).toBe(expected.linux!.codex);
  });

  // BUG (minor): client-paths.ts reads APPDATA with `??` where XDG_CONFIG_HOME, CODEX_HOME and
  // CLAUDE_CONFIG_DIR use `||`: an empty APPDATA gives the relative path `Claude\claude_desktop_config.json`.
  it('treats an empty APPDATA as unset, like the other variables', () => {
    expect(clientConfigPath('claude-desktop', { ...win32, env: { APPDATA: '' } })).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
  });
});
