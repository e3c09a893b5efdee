import type { ClientId } from '../../shared/clients.js';
import {
  editorVariables,
  literalValues,
  shellBraces,
  shellVariables,
  type EntryDialect,
} from './entry-translate.js';

/** The command a client runs to reach Switchboard: `connect NAME` or `connect --all` is added. */
export interface BridgeCommand {
  command: string;
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
}

/** One AI client: its file's format, where its servers sit in it, how it spells an entry. */
export interface ClientSpec {
  id: ClientId;
  name: string;
  scope: 'user' | 'project';
  format: 'json' | 'toml';
  /** The top-level key holding the servers. */
  serversKey: string;
  dialect: EntryDialect;
  /** The entry that runs Switchboard's bridge, in this client's spelling. */
  bridgeEntry(bridge: BridgeCommand, args: readonly string[]): Record<string, unknown>;
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** `type` as clients spell it: streamable HTTP under several names. */
function explicitType(entry: Record<string, unknown>): 'http' | 'sse' | undefined {
  const type = str(entry.type) ?? str(entry.transportType);
  if (type === undefined) return undefined;
  return type.toLowerCase() === 'sse' ? 'sse' : 'http';
}

function plainEntry(bridge: BridgeCommand, args: readonly string[]): Record<string, unknown> {
  return {
    command: bridge.command,
    args: [...bridge.args, ...args],
    ...(bridge.env ? { env: { ...bridge.env } } : {}),
  };
}

function typedEntry(bridge: BridgeCommand, args: readonly string[]): Record<string, unknown> {
  return { type: 'stdio', ...plainEntry(bridge, args) };
}

const urlKey = (entry: Record<string, unknown>) => str(entry.url);

const claudeDesktop: EntryDialect = {
  client: 'Claude Desktop',
  rewrite: literalValues,
  urlOf: urlKey,
  remoteType: (entry) => explicitType(entry) ?? 'http',
  knownKeys: [],
};

const claudeCode: EntryDialect = { ...claudeDesktop, client: 'Claude Code', rewrite: shellBraces };

const cursor: EntryDialect = {
  client: 'Cursor',
  rewrite: editorVariables(),
  urlOf: urlKey,
  remoteType: (entry) => explicitType(entry) ?? 'http',
  knownKeys: [],
  envFile: true,
};

const vscode: EntryDialect = { ...cursor, client: 'VS Code', rewrite: editorVariables({ inputs: true }) };

const windsurf: EntryDialect = {
  client: 'Windsurf',
  rewrite: editorVariables(),
  urlOf: (entry) => str(entry.serverUrl) ?? str(entry.url),
  remoteType: (entry) => explicitType(entry) ?? 'http',
  knownKeys: ['serverUrl'],
};

const cline: EntryDialect = {
  client: 'Cline',
  rewrite: literalValues,
  urlOf: urlKey,
  // Cline's remote servers were SSE before it learned streamable HTTP: no type means SSE.
  remoteType: (entry) => explicitType(entry) ?? 'sse',
  knownKeys: ['transportType'],
};

const gemini: EntryDialect = {
  client: 'Gemini CLI',
  rewrite: shellVariables,
  urlOf: (entry) => str(entry.httpUrl) ?? str(entry.url),
  // `httpUrl` is streamable HTTP, `url` is SSE, unless a `type` says otherwise.
  remoteType: (entry) => explicitType(entry) ?? (str(entry.httpUrl) ? 'http' : 'sse'),
  knownKeys: ['httpUrl'],
};

const codex: EntryDialect = {
  client: 'Codex',
  rewrite: literalValues,
  urlOf: urlKey,
  remoteType: (entry) => explicitType(entry) ?? 'http',
  knownKeys: ['bearer_token_env_var', 'http_headers', 'env_http_headers', 'startup_timeout_sec', 'env_vars'],
  extra(entry, config, notes) {
    if (config.type !== 'stdio') {
      const headers = config.headers as Record<string, string>;
      for (const [key, value] of Object.entries(entry.http_headers ?? {})) headers[key] = String(value);
      for (const [key, value] of Object.entries(entry.env_http_headers ?? {}))
        headers[key] = `\${env:${String(value)}}`;
      const bearer = str(entry.bearer_token_env_var);
      if (bearer) headers.Authorization = `Bearer \${env:${bearer}}`;
    }
    if (typeof entry.startup_timeout_sec === 'number')
      config.startupTimeoutMs = Math.round(entry.startup_timeout_sec * 1000);
    if (Array.isArray(entry.env_vars)) notes.add('env_vars need no entry: servers get the whole environment');
  },
};

export const CLIENTS: readonly ClientSpec[] = [
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    scope: 'user',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: claudeDesktop,
    bridgeEntry: plainEntry,
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    scope: 'user',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: claudeCode,
    bridgeEntry: typedEntry,
  },
  {
    id: 'claude-code-project',
    name: 'Claude Code (project .mcp.json)',
    scope: 'project',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: claudeCode,
    bridgeEntry: typedEntry,
  },
  {
    id: 'cursor',
    name: 'Cursor',
    scope: 'user',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: cursor,
    bridgeEntry: plainEntry,
  },
  {
    id: 'cursor-project',
    name: 'Cursor (project)',
    scope: 'project',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: cursor,
    bridgeEntry: plainEntry,
  },
  {
    id: 'vscode',
    name: 'VS Code',
    scope: 'user',
    format: 'json',
    serversKey: 'servers',
    dialect: vscode,
    bridgeEntry: typedEntry,
  },
  {
    id: 'vscode-workspace',
    name: 'VS Code (workspace)',
    scope: 'project',
    format: 'json',
    serversKey: 'servers',
    dialect: vscode,
    bridgeEntry: typedEntry,
  },
  {
    id: 'windsurf',
    name: 'Windsurf',
    scope: 'user',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: windsurf,
    bridgeEntry: plainEntry,
  },
  {
    id: 'cline',
    name: 'Cline',
    scope: 'user',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: cline,
    bridgeEntry: plainEntry,
  },
  {
    id: 'gemini',
    name: 'Gemini CLI',
    scope: 'user',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: gemini,
    bridgeEntry: plainEntry,
  },
  {
    id: 'gemini-project',
    name: 'Gemini CLI (project)',
    scope: 'project',
    format: 'json',
    serversKey: 'mcpServers',
    dialect: gemini,
    bridgeEntry: plainEntry,
  },
  {
    id: 'codex',
    name: 'Codex',
    scope: 'user',
    format: 'toml',
    serversKey: 'mcp_servers',
    dialect: codex,
    bridgeEntry: plainEntry,
  },
];

export function clientSpec(id: ClientId): ClientSpec {
  const spec = CLIENTS.find((c) => c.id === id);
  if (!spec) throw new Error(`unknown client ${id}`);
  return spec;
}

/** An entry that already runs Switchboard's bridge (`switchboard connect ...`): importing it would loop. */
export function isBridgeEntry(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const { command, args } = entry as { command?: unknown; args?: unknown };
  const words = [command, ...(Array.isArray(args) ? args : [])].filter(
    (w): w is string => typeof w === 'string',
  );
  const runsSwitchboard = words.some((word) => /switchboard/i.test(word.split(/[\\/]/).pop() ?? ''));
  return runsSwitchboard && words.includes('connect');
}
