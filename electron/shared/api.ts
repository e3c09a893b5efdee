import { z } from 'zod';
import type { EngineEvent } from './events.js';
import type { ToolCallItem } from './tool-call-events.js';
import type { HttpBinding } from './api-http.js';
import {
  logsInput,
  type activityEntrySchema,
  type apiErrorBodySchema,
  type authStatusSchema,
  type callBucketSchema,
  type credentialSchema,
  type extensionSchema,
  type quarantinedToolSchema,
  type restartRecordSchema,
  type secretInfoSchema,
  type secretStoreStatusSchema,
  type settingsViewSchema,
  type THEMES,
} from './api-schemas.js';
import { serverOperations } from './api-server-operations.js';
import { toolOperations } from './api-tool-operations.js';
import { secretOperations } from './api-secret-operations.js';
import { clientOperations } from './api-client-operations.js';
import { extensionOperations } from './api-extension-operations.js';

/**
 * The one API table (DESIGN §2): every control operation once, as name → zod input → zod output,
 * with its HTTP binding and whether it needs the bearer token. The HTTP control API, the CLI's client,
 * and later the IPC handlers, the preload bridge and the renderer's client are all derived from it,
 * so a new operation is one entry in its area's table (api-*-operations.ts) plus its handler in
 * `electron/engine/api/engine-api.ts`. The shapes the operations share are in api-schemas.ts, and
 * building an HTTP request from an entry is in api-http.ts.
 *
 * The renderer imports this file: it must import nothing from node or from electron/engine.
 */

// ---- the table ------------------------------------------------------------------------------------

export const apiOperations = {
  ...serverOperations,
  ...toolOperations,
  ...secretOperations,
  ...clientOperations,
  ...extensionOperations,
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
  followToolCall: stream({
    summary:
      "Every event of a started tool call so far (each with `seq`), then each new one, until `done`: progress, the server's requests, logs.",
    input: z.object({ call: z.string().min(1) }),
    item: z.custom<ToolCallItem>(),
    http: { method: 'GET', path: '/api/v1/tool-calls/:call' },
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
