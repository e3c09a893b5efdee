import { z } from 'zod';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE } from './config.js';
import { operation } from './api-operation.js';
import {
  authStatusSchema,
  credentialSchema,
  secretInfoSchema,
  secretStoreStatusSchema,
  serverInput,
} from './api-schemas.js';

const secretName = z.string().regex(SECRET_NAME_PATTERN, { error: SECRET_NAME_RULE });

/**
 * The API table's operations on what servers sign in with: secrets in the OS keyring, each server's
 * credentials, and OAuth sign-in. Merged into `apiOperations` in api.ts.
 */
export const secretOperations = {
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
} as const;
