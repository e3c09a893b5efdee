import { z } from 'zod';
import { SERVER_NAME_PATTERN } from './config.js';
import { operation } from './api-operation.js';
import {
  callBucketSchema,
  configDocumentSchema,
  configViewSchema,
  engineSnapshotSchema,
  logsInput,
  restartRecordSchema,
  serverConfigDocumentSchema,
  serverInput,
  serverName,
  serverSnapshotSchema,
  settingsViewSchema,
  usagePointSchema,
  wholeNumber,
} from './api-schemas.js';

/**
 * The API table's operations on servers (start, stop, logs, restarts, stats), on the config
 * file, and on the engine's settings in it. Merged into `apiOperations` in api.ts.
 */
export const serverOperations = {
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
    summary:
      'Calls to a server per minute over the last hour (count, errors, p50 and p99 latency), and its ' +
      'CPU and memory over the last hour (a sample every 5 s at most, oldest first); `include: calls` ' +
      'leaves the CPU and memory out (a list of servers needs only the calls).',
    input: serverInput.extend({ include: z.enum(['calls', 'all']).default('all') }),
    output: z.object({
      server: z.string(),
      buckets: z.array(callBucketSchema),
      usage: z.array(usagePointSchema),
    }),
    http: { method: 'GET', path: '/api/v1/servers/:server/stats' },
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
} as const;
