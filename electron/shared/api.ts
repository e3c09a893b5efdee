import { z } from 'zod';
import {
  configSchema,
  serverConfigSchema,
  SECRET_NAME_PATTERN,
  SECRET_NAME_RULE,
  SERVER_NAME_PATTERN,
} from './config.js';
import { PARSE_OPTIONS } from './config-errors.js';
import { SERVER_STATES, type EngineEvent } from './events.js';
import {
  clientInfoSchema,
  importInputSchema,
  importPlanSchema,
  installInputSchema,
  installPlanSchema,
  uninstallInputSchema,
  uninstallResultSchema,
} from './clients.js';

/**
 * The one API table (DESIGN §2): every control operation once, as name → zod input → zod output,
 * with its HTTP binding and whether it needs the bearer token. The HTTP control API, the CLI's client,
 * and later the IPC handlers, the preload bridge and the renderer's client are all derived from it,
 * so a new operation is one entry here plus its handler in `electron/engine/api/engine-api.ts`.
 *
 * The renderer imports this file: it must import nothing from node or from electron/engine.
 */

// ---- HTTP binding ---------------------------------------------------------------------------------

/**
 * Where an operation lives over HTTP. `:name` segments of the path are taken from the input; the rest
 * of the input travels as query parameters for GET and DELETE, and as the JSON body for POST and PUT.
 */
export interface HttpBinding {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Query parameters that select this binding over another on the same path (e.g. `follow=1`). */
  readonly flags?: Readonly<Record<string, string>>;
}

// ---- shapes shared by several operations ------------------------------------------------------------

/** A whole number that may arrive as query-string text ("50"); other text stays text, so the error says so. */
function wholeNumber(min: number, max: number): z.ZodType<number, number> {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  ) as unknown as z.ZodType<number, number>;
}

const serverName = z.string().min(1);
const serverInput = z.object({ server: serverName });

export const configProblemSchema = z.object({ path: z.string(), message: z.string() });

export const serverSnapshotSchema = z
  .object({
    name: z.string(),
    transport: z.enum(['stdio', 'http', 'sse']),
    enabled: z.boolean(),
    state: z.enum(SERVER_STATES),
    /** Why it is in this state. */
    reason: z.string(),
    since: z.number(),
    restarts: z.number().int(),
    lastError: z.string().optional(),
    tools: z.number().int().optional(),
    cpuPercent: z.number().optional(),
    rssBytes: z.number().optional(),
  })
  .readonly();

export const engineSnapshotSchema = z
  .object({
    servers: z.array(serverSnapshotSchema).readonly(),
    /** Set while the config file on disk is invalid (the last good one is in force). */
    configProblems: z.array(configProblemSchema).readonly().optional(),
    pendingApprovals: z.number().int().optional(),
  })
  .readonly();

export const restartCauseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), paths: z.array(z.string()) }),
  z.object({ kind: z.literal('exit'), code: z.number().nullable(), signal: z.string().nullable() }),
  z.object({ kind: z.literal('user') }),
  z.object({ kind: z.literal('config') }),
  z.object({ kind: z.literal('health'), detail: z.string() }),
  z.object({ kind: z.literal('connection'), detail: z.string() }),
]);

export const restartRecordSchema = z.object({
  server: z.string(),
  at: z.number(),
  cause: restartCauseSchema,
  durationMs: z.number(),
  outcome: z.enum(['ready', 'failed']),
  error: z.string().optional(),
});

/**
 * A whole config file as JSON. Checked against the config schema, but what passes on is the JSON as
 * sent, so defaults are not written into the person's file and keys Switchboard does not know survive.
 */
export const configDocumentSchema = z.record(z.string(), z.unknown()).superRefine((raw, ctx) => {
  const result = configSchema.safeParse(raw, PARSE_OPTIONS);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue });
});

export const configViewSchema = z.object({
  /** The config file's path. */
  file: z.string(),
  /** The config in force, as its JSON (the last good one while the file on disk is invalid). */
  config: z.record(z.string(), z.unknown()),
  /** What is wrong with the file on disk, when it is wrong. */
  problems: z.array(configProblemSchema).readonly().optional(),
});

export const toolSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
});

export const jsonRpcErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
});

export const callToolResultSchema = z.looseObject({
  content: z.array(z.looseObject({ type: z.string() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});

/** The body of every error answer of the control API. */
export const apiErrorBodySchema = z.object({
  error: z.string(),
  /** For invalid input: each problem with the path it is at. */
  problems: z.array(configProblemSchema).optional(),
});

/** One server's config entry as JSON; checked against the schema, passed on as sent (like the file). */
export const serverConfigDocumentSchema = z.record(z.string(), z.unknown()).superRefine((raw, ctx) => {
  const result = serverConfigSchema.safeParse(raw, PARSE_OPTIONS);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue });
});

/** Calls answered in one minute, for the window's charts. */
export const callBucketSchema = z.object({
  /** Start of the minute (ms since the epoch). */
  at: z.number(),
  calls: z.number().int(),
  errors: z.number().int(),
  p50Ms: z.number(),
  p99Ms: z.number(),
});

export const extensionSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
  /** JSON Schema of its config: the window renders it as a form. */
  configSchema: z.record(z.string(), z.unknown()).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  /** Why it is not working, when it is not. */
  problem: z.string().optional(),
  /** Time spent in its hooks. */
  hookP50Ms: z.number().optional(),
  hookP99Ms: z.number().optional(),
  /** Hook calls measured, and how many threw (or timed out). */
  hookCalls: z.number().int().optional(),
  hookFailures: z.number().int().optional(),
  /** Only these servers' traffic goes through it; absent: every server. */
  servers: z.array(z.string()).optional(),
  /** Shipped with Switchboard, or loaded from <home>/extensions/ (runs only once enabled). */
  source: z.enum(['builtin', 'third-party']).optional(),
});

/** One call in the request logger's activity log. */
export const activityEntrySchema = z.object({
  at: z.number(),
  session: z.string(),
  client: z.string().optional(),
  endpoint: z.enum(['server', 'aggregate']),
  server: z.string(),
  method: z.string(),
  tool: z.string().optional(),
  durationMs: z.number(),
  status: z.enum(['ok', 'error', 'blocked', 'cancelled']),
  /** The error's message, for status error and blocked. */
  error: z.string().optional(),
  requestBytes: z.number().int(),
  responseBytes: z.number().int(),
  /** The request's params, secrets redacted, cut to a few KB. */
  params: z.unknown().optional(),
});

const toolVersionSchema = z.object({
  hash: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.unknown().optional(),
});

/** A tool held by the quarantine extension until the person approves it. */
export const quarantinedToolSchema = z.object({
  server: z.string(),
  tool: z.string(),
  /** new: never approved; changed: its description or schema differs from the approved one. */
  reason: z.enum(['new', 'changed']),
  since: z.number(),
  current: toolVersionSchema,
  /** The approved version, for a changed tool. */
  approved: toolVersionSchema.optional(),
});

/**
 * A secret as the window and the CLI see it: its name and a hint, never its value. The hint is "…"
 * and the last 4 characters, only for values of 12 characters or more (fewer would give too much away).
 */
export const secretInfoSchema = z.object({
  name: z.string(),
  /** Whether the store has a value for it. */
  set: z.boolean(),
  hint: z.string().optional(),
  /** Servers whose config uses it (`${secret:NAME}` or `credentials`). */
  usedBy: z.array(z.string()),
});

/** Where secrets are kept, and whether it can be used right now. */
export const secretStoreStatusSchema = z.object({
  kind: z.enum(['keyring', 'memory', 'none']),
  available: z.boolean(),
  /** Why it cannot be used, and what to do. */
  problem: z.string().optional(),
});

/** One credential of a server, for its form. */
export const credentialSchema = z.object({
  /** The secret's name. */
  name: z.string(),
  label: z.string(),
  description: z.string().optional(),
  required: z.boolean(),
  set: z.boolean(),
  hint: z.string().optional(),
});

const secretName = z.string().regex(SECRET_NAME_PATTERN, { error: SECRET_NAME_RULE });

/** A remote server's OAuth sign-in, as the window and the tray see it: never a token. */
export const authStatusSchema = z.object({
  server: z.string(),
  /** Whether the server uses OAuth at all (it answered 401, or its config has an `oauth` entry). */
  oauth: z.boolean(),
  signedIn: z.boolean(),
  /** The authorization server that issued the tokens. */
  issuer: z.string().optional(),
  /** Scopes granted. */
  scopes: z.array(z.string()),
  /** When the access token runs out (ms since the epoch); it is refreshed before then. */
  expiresAt: z.number().optional(),
  /** Scope the server asked for beyond what was granted: the next sign-in asks for it. */
  pendingScope: z.string().optional(),
  /** A sign-in is waiting for the browser to come back; this is the page to open. */
  signInUrl: z.string().optional(),
  /** Why the last sign-in or refresh failed, and what to do. */
  problem: z.string().optional(),
});

export const THEMES = ['system', 'light', 'dark'] as const;

export const settingsViewSchema = z.object({
  port: z.number().int(),
  host: z.string(),
  launchAtLogin: z.boolean(),
  theme: z.enum(THEMES),
});

// ---- the table ------------------------------------------------------------------------------------

interface OperationSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly http: HttpBinding;
  readonly auth: boolean;
}

const operation = <I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>) => spec;

const logsInput = serverInput.extend({ lines: wholeNumber(1, 10_000).default(100) });

export const apiOperations = {
  listServers: operation({
    summary: 'Every server: state, reason, restarts, last error, tools, CPU and memory.',
    input: z.object({}),
    output: engineSnapshotSchema,
    http: { method: 'GET', path: '/api/v1/servers' },
    auth: true,
  }),
  getServer: operation({
    summary: 'One server, as in listServers.',
    input: serverInput,
    output: serverSnapshotSchema,
    http: { method: 'GET', path: '/api/v1/servers/:server' },
    auth: true,
  }),
  startServer: operation({
    summary: 'Starts a server; answers once it is ready or has failed.',
    input: serverInput,
    output: serverSnapshotSchema,
    http: { method: 'POST', path: '/api/v1/servers/:server/start' },
    auth: true,
  }),
  stopServer: operation({
    summary: 'Stops a server (until it is started again or the engine restarts).',
    input: serverInput,
    output: serverSnapshotSchema,
    http: { method: 'POST', path: '/api/v1/servers/:server/stop' },
    auth: true,
  }),
  restartServer: operation({
    summary: 'Restarts a server without losing requests; answers once it is ready or has failed.',
    input: serverInput,
    output: serverSnapshotSchema,
    http: { method: 'POST', path: '/api/v1/servers/:server/restart' },
    auth: true,
  }),
  setServerEnabled: operation({
    summary: 'Writes `enabled` into the config file; the server starts or stops to match.',
    input: serverInput.extend({ enabled: z.boolean() }),
    output: serverSnapshotSchema,
    http: { method: 'PUT', path: '/api/v1/servers/:server/enabled' },
    auth: true,
  }),
  getLogs: operation({
    summary: 'The last lines a server wrote to stderr, oldest first; `search` keeps lines containing it.',
    input: logsInput.extend({ search: z.string().min(1).optional() }),
    output: z.object({ server: z.string(), lines: z.array(z.string()) }),
    http: { method: 'GET', path: '/api/v1/servers/:server/logs' },
    auth: true,
  }),
  getRestartHistory: operation({
    summary: "A server's restarts, oldest first: when, why, how long, how it ended.",
    input: serverInput.extend({ limit: wholeNumber(1, 500).default(50) }),
    output: z.object({ server: z.string(), restarts: z.array(restartRecordSchema) }),
    http: { method: 'GET', path: '/api/v1/servers/:server/restarts' },
    auth: true,
  }),
  getConfig: operation({
    summary: 'The config file: its path, its JSON, and its problems when the file on disk is invalid.',
    input: z.object({}),
    output: configViewSchema,
    http: { method: 'GET', path: '/api/v1/config' },
    auth: true,
  }),
  putConfig: operation({
    summary: 'Replaces the config file (the body is the whole file); invalid input leaves the file alone.',
    input: configDocumentSchema,
    output: configViewSchema,
    http: { method: 'PUT', path: '/api/v1/config' },
    auth: true,
  }),
  putServer: operation({
    summary: "Adds a server, or replaces one's config entry; it starts, restarts or stops to match.",
    input: serverInput.extend({
      server: serverName.regex(SERVER_NAME_PATTERN, {
        error:
          'server names use letters, digits, "-", "_" and "." (at most 64), starting with a letter or digit',
      }),
      config: serverConfigDocumentSchema,
      /** Refuse (409) instead of replacing a server of that name. */
      createOnly: z.boolean().default(false),
    }),
    output: serverSnapshotSchema,
    http: { method: 'PUT', path: '/api/v1/servers/:server' },
    auth: true,
  }),
  removeServer: operation({
    summary: 'Stops a server and takes it out of the config file.',
    input: serverInput,
    output: z.object({ server: z.string(), removed: z.literal(true) }),
    http: { method: 'DELETE', path: '/api/v1/servers/:server' },
    auth: true,
  }),
  getServerStats: operation({
    summary: 'Calls to a server per minute over the last hour: count, errors, p50 and p99 latency.',
    input: serverInput,
    output: z.object({ server: z.string(), buckets: z.array(callBucketSchema) }),
    http: { method: 'GET', path: '/api/v1/servers/:server/stats' },
    auth: true,
  }),
  listSecrets: operation({
    summary: 'Every secret that is set or used by a server: names and hints, never values.',
    input: z.object({}),
    output: z.object({ store: secretStoreStatusSchema, secrets: z.array(secretInfoSchema) }),
    http: { method: 'GET', path: '/api/v1/secrets' },
    auth: true,
  }),
  setSecret: operation({
    summary: 'Stores a secret in the OS keyring; servers waiting for it start (ones using it restart).',
    input: z.object({ name: secretName, value: z.string().min(1, { error: 'the value is empty' }) }),
    output: secretInfoSchema,
    http: { method: 'PUT', path: '/api/v1/secrets/:name' },
    auth: true,
  }),
  deleteSecret: operation({
    summary: 'Removes a secret from the OS keyring (servers using it keep running until they restart).',
    input: z.object({ name: secretName }),
    output: z.object({ name: z.string(), removed: z.boolean() }),
    http: { method: 'DELETE', path: '/api/v1/secrets/:name' },
    auth: true,
  }),
  getServerCredentials: operation({
    summary: "A server's credentials: declared ones and every `${secret:NAME}` it uses, set or not.",
    input: serverInput,
    output: z.object({ server: z.string(), credentials: z.array(credentialSchema) }),
    http: { method: 'GET', path: '/api/v1/servers/:server/credentials' },
    auth: true,
  }),
  getServerAuth: operation({
    summary: "A remote server's OAuth sign-in: signed in or not, issuer, scopes, expiry (never a token).",
    input: serverInput,
    output: authStatusSchema,
    http: { method: 'GET', path: '/api/v1/servers/:server/auth' },
    auth: true,
  }),
  signIn: operation({
    summary:
      'Starts an OAuth sign-in: opens the system browser (the answer has the page, too); the server starts once it is done.',
    input: serverInput,
    output: authStatusSchema,
    http: { method: 'POST', path: '/api/v1/servers/:server/sign-in' },
    auth: true,
  }),
  signOut: operation({
    summary:
      "Deletes a server's OAuth tokens from the keyring; it waits in needs-auth until the next sign-in.",
    input: serverInput,
    output: authStatusSchema,
    http: { method: 'POST', path: '/api/v1/servers/:server/sign-out' },
    auth: true,
  }),
  listClients: operation({
    summary:
      'AI clients found on this machine: their config file, servers, and whether Switchboard is installed in them.',
    input: z.object({ project: z.string().min(1).optional() }),
    output: z.object({ clients: z.array(clientInfoSchema) }),
    http: { method: 'GET', path: '/api/v1/clients' },
    auth: true,
  }),
  previewImport: operation({
    summary:
      "What importing a client's servers would add: conflicts by name, secrets to move. Changes nothing.",
    input: importInputSchema,
    output: importPlanSchema,
    http: { method: 'POST', path: '/api/v1/clients/:client/import-preview' },
    auth: true,
  }),
  importClient: operation({
    summary: "Adds a client's servers to the config file (secrets into the keyring), as previewed.",
    input: importInputSchema,
    output: importPlanSchema,
    http: { method: 'POST', path: '/api/v1/clients/:client/import' },
    auth: true,
  }),
  previewInstall: operation({
    summary: 'The diff that pointing a client at Switchboard would make to its config file. Changes nothing.',
    input: installInputSchema,
    output: installPlanSchema,
    http: { method: 'POST', path: '/api/v1/clients/:client/install-preview' },
    auth: true,
  }),
  installClient: operation({
    summary: "Rewrites a client's config so its servers go through Switchboard; the original is backed up.",
    input: installInputSchema,
    output: installPlanSchema,
    http: { method: 'POST', path: '/api/v1/clients/:client/install' },
    auth: true,
  }),
  uninstallClient: operation({
    summary: "Undoes the install: the client's config file comes back byte for byte.",
    input: uninstallInputSchema,
    output: uninstallResultSchema,
    http: { method: 'POST', path: '/api/v1/clients/:client/uninstall' },
    auth: true,
  }),
  listExtensions: operation({
    summary: 'The extensions: enabled or not, their config and its schema, health and hook timings.',
    input: z.object({}),
    output: z.object({ extensions: z.array(extensionSchema) }),
    http: { method: 'GET', path: '/api/v1/extensions' },
    auth: true,
  }),
  setExtensionEnabled: operation({
    summary: 'Switches an extension on or off (written to the config file; no server restarts).',
    input: z.object({ extension: z.string().min(1), enabled: z.boolean() }),
    output: extensionSchema,
    http: { method: 'PUT', path: '/api/v1/extensions/:extension/enabled' },
    auth: true,
  }),
  setExtensionConfig: operation({
    summary: "Replaces an extension's config (checked against its schema; applies live).",
    input: z.object({ extension: z.string().min(1), config: z.record(z.string(), z.unknown()) }),
    output: extensionSchema,
    http: { method: 'PUT', path: '/api/v1/extensions/:extension/config' },
    auth: true,
  }),
  setExtensionServers: operation({
    summary: 'Limits an extension to some servers, or (servers null) applies it to every server.',
    input: z.object({ extension: z.string().min(1), servers: z.array(z.string().min(1)).nullable() }),
    output: extensionSchema,
    http: { method: 'PUT', path: '/api/v1/extensions/:extension/servers' },
    auth: true,
  }),
  searchActivity: operation({
    summary: "The request logger's activity log, newest first: filter by words, server and status.",
    input: z.object({
      query: z.string().optional(),
      server: z.string().optional(),
      status: z.enum(['ok', 'error', 'blocked', 'cancelled']).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ enabled: z.boolean(), entries: z.array(activityEntrySchema) }),
    http: { method: 'GET', path: '/api/v1/activity' },
    auth: true,
  }),
  listQuarantine: operation({
    summary: 'Tools the quarantine extension holds until approved: new ones and changed ones.',
    input: z.object({}),
    output: z.object({ enabled: z.boolean(), tools: z.array(quarantinedToolSchema) }),
    http: { method: 'GET', path: '/api/v1/quarantine' },
    auth: true,
  }),
  approveTools: operation({
    summary: 'Approves held tools of a server (all of them when tools is left out); they appear to clients.',
    input: z.object({ server: z.string().min(1), tools: z.array(z.string().min(1)).optional() }),
    output: z.object({ approved: z.array(z.string()), tools: z.array(quarantinedToolSchema) }),
    http: { method: 'POST', path: '/api/v1/quarantine/:server/approve' },
    auth: true,
  }),
  getSettings: operation({
    summary: "The engine's settings: port, host, launch at login, theme.",
    input: z.object({}),
    output: settingsViewSchema,
    http: { method: 'GET', path: '/api/v1/settings' },
    auth: true,
  }),
  updateSettings: operation({
    summary: 'Changes some settings in the config file; port and host apply at the next start.',
    input: settingsViewSchema.partial().extend({ port: z.number().int().min(0).max(65535).optional() }),
    output: settingsViewSchema,
    http: { method: 'PUT', path: '/api/v1/settings' },
    auth: true,
  }),
  listTools: operation({
    summary: 'The tools a server offers (as of its last start or list_changed).',
    input: serverInput,
    output: z.object({ server: z.string(), tools: z.array(toolSchema) }),
    http: { method: 'GET', path: '/api/v1/servers/:server/tools' },
    auth: true,
  }),
  callTool: operation({
    summary: "Calls one of a server's tools: the tools/call result, or the JSON-RPC error.",
    input: serverInput.extend({
      tool: z.string().min(1),
      arguments: z.record(z.string(), z.unknown()).default({}),
    }),
    output: z.union([z.object({ result: callToolResultSchema }), z.object({ error: jsonRpcErrorSchema })]),
    http: { method: 'POST', path: '/api/v1/servers/:server/tools/call' },
    auth: true,
  }),
} as const;

// ---- streams (events up) --------------------------------------------------------------------------

interface StreamSpec<I extends z.ZodType, T> {
  readonly summary: string;
  readonly input: I;
  /** Type only: items are not validated at run time (they come from the engine itself). */
  readonly item: z.ZodType<T>;
  readonly http: HttpBinding;
  readonly auth: boolean;
}

const stream = <I extends z.ZodType, T>(spec: StreamSpec<I, T>) => spec;

/** Over HTTP each stream is server-sent events: one `data: <JSON item>` per item. */
export const apiStreams = {
  events: stream({
    summary: 'Every engine event as it happens: state changes, restarts, config changes, usage.',
    input: z.object({}),
    item: z.custom<EngineEvent>(),
    http: { method: 'GET', path: '/events' },
    auth: true,
  }),
  followLogs: stream({
    summary: 'The last `lines` lines of a server log, then every new line as it is written.',
    input: logsInput,
    item: z.string(),
    http: { method: 'GET', path: '/api/v1/servers/:server/logs', flags: { follow: '1' } },
    auth: true,
  }),
} as const;

// ---- types for the sides derived from the table ---------------------------------------------------

export type ApiName = keyof typeof apiOperations;
/** What a caller sends (defaults may be left out). */
export type ApiInput<N extends ApiName> = z.input<(typeof apiOperations)[N]['input']>;
/** What a handler receives: validated, defaults filled in. */
export type ApiParsedInput<N extends ApiName> = z.output<(typeof apiOperations)[N]['input']>;
export type ApiOutput<N extends ApiName> = z.output<(typeof apiOperations)[N]['output']>;
export type ApiErrorBody = z.output<typeof apiErrorBodySchema>;

/** The engine's side of every operation. */
export type ApiHandlers = { [N in ApiName]: (input: ApiParsedInput<N>) => Promise<ApiOutput<N>> };

export type ApiStreamName = keyof typeof apiStreams;
export type ApiStreamInput<S extends ApiStreamName> = z.input<(typeof apiStreams)[S]['input']>;
export type ApiStreamParsedInput<S extends ApiStreamName> = z.output<(typeof apiStreams)[S]['input']>;
export type ApiStreamItem<S extends ApiStreamName> = z.output<(typeof apiStreams)[S]['item']>;

/** The engine's side of every stream: starts sending, resolves with how to stop. */
export type ApiStreamHandlers = {
  [S in ApiStreamName]: (
    input: ApiStreamParsedInput<S>,
    send: (item: ApiStreamItem<S>) => void,
  ) => Promise<() => void>;
};

export type ServerSnapshotDto = ApiOutput<'getServer'>;
export type EngineSnapshotDto = ApiOutput<'listServers'>;
export type RestartRecordDto = z.output<typeof restartRecordSchema>;
export type CallBucketDto = z.output<typeof callBucketSchema>;
export type ExtensionDto = z.output<typeof extensionSchema>;
export type ActivityEntryDto = z.output<typeof activityEntrySchema>;
export type QuarantinedToolDto = z.output<typeof quarantinedToolSchema>;
export type SettingsDto = z.output<typeof settingsViewSchema>;
export type SecretInfoDto = z.output<typeof secretInfoSchema>;
export type AuthStatusDto = z.output<typeof authStatusSchema>;
export type SecretStoreStatusDto = z.output<typeof secretStoreStatusSchema>;
export type CredentialDto = z.output<typeof credentialSchema>;
export type Theme = (typeof THEMES)[number];

// ---- building HTTP requests from the table (for HTTP clients: CLI, browser bridge) ------------------

export interface HttpRequestSpec {
  method: HttpBinding['method'];
  /** Path and query, e.g. `/api/v1/servers/notes/logs?lines=20`. */
  path: string;
  /** JSON text, for POST and PUT. */
  body?: string;
}

/** The `:name` segments of a path template. */
export function pathParams(template: string): string[] {
  return template
    .split('/')
    .filter((segment) => segment.startsWith(':'))
    .map((segment) => segment.slice(1));
}

/** The request that carries `input` over `binding`: path params filled in, the rest as query or body. */
export function httpRequestFor(binding: HttpBinding, input: Record<string, unknown>): HttpRequestSpec {
  const names = pathParams(binding.path);
  const rest: Record<string, unknown> = { ...input };
  let path = binding.path;
  for (const name of names) {
    const value = rest[name];
    if (value === undefined || value === null || value === '') throw new Error(`"${name}" is required`);
    path = path.replace(`:${name}`, encodeURIComponent(String(value)));
    delete rest[name];
  }
  const query = new URLSearchParams(binding.flags);
  const inQuery = binding.method === 'GET' || binding.method === 'DELETE';
  if (inQuery) {
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) query.set(key, String(value));
  }
  const search = query.toString();
  return {
    method: binding.method,
    path: search ? `${path}?${search}` : path,
    ...(inQuery ? {} : { body: JSON.stringify(rest) }),
  };
}
