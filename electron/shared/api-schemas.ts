import { z } from 'zod';
import { configSchema, serverConfigSchema } from './config.js';
import { PARSE_OPTIONS } from './config-errors.js';
import { SERVER_STATES } from './events.js';

/**
 * The shapes of the API table (electron/shared/api.ts) that several operations, the types derived
 * from the table, or other code (the activity log) use: servers, restarts, the config, tools,
 * extensions, secrets, OAuth sign-in, settings.
 *
 * The renderer imports this file: it must import nothing from node or from electron/engine.
 */

/** A whole number that may arrive as query-string text ("50"); other text stays text, so the error says so. */
export function wholeNumber(min: number, max: number): z.ZodType<number, number> {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  ) as unknown as z.ZodType<number, number>;
}

export const serverName = z.string().min(1);
export const serverInput = z.object({ server: serverName });
/** A server's log: how many of its last lines. */
export const logsInput = serverInput.extend({ lines: wholeNumber(1, 10_000).default(100) });

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
    /** Its processes at the last sample (client sessions of their own have one each). */
    processes: z.number().int().optional(),
    /** Client sessions using the server now, on every surface. */
    sessions: z.number().int().default(0),
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
  z.object({ kind: z.literal('retry'), attempt: z.number().int().positive() }),
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

/** One sample of a server's CPU and memory (its process group), for the window's charts. */
export const usagePointSchema = z.object({
  /** When it was sampled (ms since the epoch). */
  at: z.number(),
  /** Percent of one core (200 = two cores busy). */
  cpuPercent: z.number(),
  rssBytes: z.number(),
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
