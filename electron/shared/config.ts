import { z } from 'zod';

/**
 * The config file (DESIGN §6): the `mcpServers` block Claude Desktop and Cursor use, plus
 * Switchboard's own additions. Unknown keys are kept, so a pasted config loses nothing.
 */
const nonNegativeMs = z.number().int().min(0);

export const restartPolicySchema = z
  .object({
    baseDelayMs: nonNegativeMs,
    maxDelayMs: nonNegativeMs,
    crashLoopCount: z.number().int().min(1),
    crashLoopWindowMs: nonNegativeMs,
  })
  .partial();

/** A secret's name, as in `${secret:NAME}` and `switchboard secret set NAME`. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
export const SECRET_NAME_RULE =
  'secret names use letters, digits, "_", "-" and "." (at most 128), starting with a letter or digit';

/**
 * A credential the server takes, declared for the window's form. Every `${secret:NAME}` the server
 * uses is a credential anyway (required, labelled with its name); declaring one adds a label, a
 * description, or makes it optional (the env var or header is then left out while it is not set).
 */
export const credentialFieldSchema = z.looseObject({
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  required: z.boolean().default(true),
});

const commonServerFields = {
  credentials: z
    .record(z.string().regex(SECRET_NAME_PATTERN, { error: SECRET_NAME_RULE }), credentialFieldSchema)
    .optional(),
  enabled: z.boolean().default(true),
  autoStart: z.boolean().default(true),
  description: z.string().optional(),
  startupTimeoutMs: nonNegativeMs.optional(),
  shutdownTimeoutMs: nonNegativeMs.optional(),
  drainTimeoutMs: nonNegativeMs.optional(),
  restart: restartPolicySchema.optional(),
  /**
   * Whether client sessions share one upstream (`shared`), each get their own (`per-client`), or
   * (`auto`, the default) get their own once the server is seen asking its clients for something.
   */
  sessions: z.enum(['shared', 'per-client', 'auto']).optional(),
};

export const stdioServerSchema = z.looseObject({
  type: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().min(1).optional(),
  watch: z.array(z.string()).optional(),
  ignore: z.array(z.string()).optional(),
  ext: z.array(z.string()).optional(),
  debounceMs: nonNegativeMs.optional(),
  ...commonServerFields,
});

/**
 * OAuth for a remote server (MCP authorization). Without this entry Switchboard still signs in
 * when the server asks (401), with dynamic registration; these fields pin a client or a scope.
 */
export const oauthSettingsSchema = z.looseObject({
  /** A client registered with the authorization server beforehand. */
  clientId: z.string().min(1).optional(),
  /** Its secret, as `${secret:NAME}` (a plain value works but sits in the file). */
  clientSecret: z.string().min(1).optional(),
  /** An https URL of a client ID metadata document, used where the server supports them. */
  clientMetadataUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The scope to ask for, instead of the one the server names. */
  scope: z.string().min(1).optional(),
  clientName: z.string().min(1).optional(),
  /** A fixed port for the loopback redirect (a pre-registered redirect URI needs one). */
  redirectPort: z.number().int().min(1).max(65535).optional(),
});

export const remoteServerSchema = z.looseObject({
  type: z.enum(['http', 'sse']),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  /** `false`: never sign in (a 401 is then an error to fix with "headers"). */
  oauth: z.union([z.literal(false), oauthSettingsSchema]).optional(),
  ...commonServerFields,
});

/** `type` may be left out, as in Claude Desktop's and Cursor's files: `command` means stdio, `url` http. */
function inferType(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entry = value as Record<string, unknown>;
  if (entry.type === 'streamable-http' || entry.type === 'streamableHttp') return { ...entry, type: 'http' };
  if (entry.type !== undefined) return entry;
  if ('command' in entry) return { ...entry, type: 'stdio' };
  if ('url' in entry) return { ...entry, type: 'http' };
  return entry;
}

export const serverConfigSchema = z.preprocess(
  inferType,
  z.discriminatedUnion('type', [stdioServerSchema, remoteServerSchema], {
    error: 'needs "command" (a local server) or "url" (a remote one); "type" may be stdio, http or sse',
  }),
);

export const SERVER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const settingsSchema = z.looseObject({
  port: z.number().int().min(0).max(65535).default(7420),
  host: z.string().default('127.0.0.1'),
  launchAtLogin: z.boolean().default(false),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
});

export const extensionEntrySchema = z.looseObject({
  enabled: z.boolean().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  /** Only these servers' traffic goes through the extension; absent: every server. */
  servers: z.array(z.string()).optional(),
});

export const configSchema = z.looseObject({
  mcpServers: z
    .record(
      z.string().regex(SERVER_NAME_PATTERN, {
        error:
          'server names use letters, digits, "-", "_" and "." (at most 64), starting with a letter or digit',
      }),
      serverConfigSchema,
    )
    .default({}),
  extensions: z.record(z.string(), extensionEntrySchema).default({}),
  settings: settingsSchema.default({ port: 7420, host: '127.0.0.1', launchAtLogin: false, theme: 'system' }),
});

export type StdioServerConfig = z.infer<typeof stdioServerSchema>;
export type RemoteServerConfig = z.infer<typeof remoteServerSchema>;
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type SwitchboardConfig = z.infer<typeof configSchema>;
