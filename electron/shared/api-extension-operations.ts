import { z } from 'zod';
import { operation } from './api-operation.js';
import { activityEntrySchema, extensionSchema, quarantinedToolSchema } from './api-schemas.js';

/**
 * The API table's operations on extensions: switching them on and off, their config and scope, and
 * what the built-in request logger and quarantine keep. Merged into `apiOperations` in api.ts.
 */
export const extensionOperations = {
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
} as const;
