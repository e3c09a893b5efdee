import { z } from 'zod';
import {
  clientInfoSchema,
  connectInfoSchema,
  importInputSchema,
  importPlanSchema,
  installInputSchema,
  installPlanSchema,
  uninstallInputSchema,
  uninstallResultSchema,
} from './clients.js';
import { operation } from './api-operation.js';

/**
 * The API table's operations on AI clients: finding them, importing their servers, and installing
 * Switchboard in their config (and undoing it). Merged into `apiOperations` in api.ts.
 */
export const clientOperations = {
  listClients: operation({
    summary:
      'AI clients found on this machine: their config file, servers, and whether Switchboard is installed in them.',
    input: z.object({ project: z.string().min(1).optional() }),
    output: z.object({ clients: z.array(clientInfoSchema) }),
    http: { method: 'GET', path: '/api/v1/clients' },
    auth: true,
  }),
  getConnectInfo: operation({
    summary:
      'How a client reaches a server (or, without one, all servers) through Switchboard: the HTTP endpoint, the connect command, and ready config snippets.',
    input: z.object({ server: z.string().min(1).optional() }),
    output: connectInfoSchema,
    http: { method: 'GET', path: '/api/v1/connect' },
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
} as const;
